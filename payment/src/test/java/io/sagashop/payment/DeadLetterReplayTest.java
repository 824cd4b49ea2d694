package io.sagashop.payment;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Topics;
import io.sagashop.testing.ProviderStub;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The dead-letter topic as a tool: {@code GET /admin/dlq} lists what is there (reason, order, age), and a replay sends
 * chosen records back to their topic, through the inbox: replaying twice charges once, and a record that is not an
 * event is never replayed.
 */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
@WithTestResource(ProviderStub.class)
class DeadLetterReplayTest {

    @Test
    void aDeadLetteredEventIsListedAndReplayedOnceHoweverOftenItIsReplayed() {
        ProviderStub.server.resetAll();
        PaymentSagaTest.approveCharges(0);
        // An InventoryReserved that an earlier failure sent to the dead-letter topic, the charge never made.
        String order = PaymentSagaTest.placedOrder();
        EventEnvelope reserved = TestEvents.envelope(order, 1, PaymentSagaTest.reservedEvent());
        TestEvents.publishRaw(Topics.deadLetter("payment"), order, EventCodec.toJson(reserved), Map.of(
                "type", reserved.type(), "eventId", reserved.eventId().toString(),
                "dead-letter-topic", Topics.INVENTORY_EVENTS, "dead-letter-reason", "connection refused (test)"));
        String garbage = "garbage-" + UUID.randomUUID();
        TestEvents.publishRaw(Topics.deadLetter("payment"), garbage, "{not an event", Map.of(
                "dead-letter-topic", Topics.INVENTORY_EVENTS, "dead-letter-reason", "not a JSON event envelope"));

        JsonPath listing = given().get("/admin/dlq").then().statusCode(200).extract().jsonPath();
        assertEquals("payment-dlq", listing.getString("topic"));
        Map<String, Object> letter = record(listing, order);
        assertEquals("InventoryReserved", letter.get("type"));
        assertEquals("connection refused (test)", letter.get("reason"));
        assertEquals(Topics.INVENTORY_EVENTS, letter.get("originalTopic"));
        assertEquals(true, letter.get("replayable"));
        assertEquals(false, record(listing, garbage).get("replayable"), "a record that is not an event would only fail again");

        replay(letter.get("id"), record(listing, garbage).get("id"));
        assertEquals(List.of("PaymentCaptured"), TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ofSeconds(1))
                .stream().map(EventEnvelope::type).toList());
        int charges = ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/provider/payments/charges"))
                .withRequestBody(containing(order))).size(); // one, or more under one idempotency key if a call timed out

        replay(letter.get("id"), record(listing, garbage).get("id")); // again: the inbox has it, nothing happens
        assertEquals(List.of("PaymentCaptured"), TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ofSeconds(2))
                .stream().map(EventEnvelope::type).toList());
        assertEquals(charges, ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/provider/payments/charges"))
                .withRequestBody(containing(order))).size(), "the second replay did not reach the provider");
    }

    private static void replay(Object replayable, Object notAnEvent) {
        List<String> replayed = given().contentType(ContentType.JSON).body(Map.of("ids", List.of(replayable, notAnEvent)))
                .post("/admin/dlq/replay").then().statusCode(200).extract().jsonPath().getList("replayed");
        assertEquals(List.of(replayable), replayed);
    }

    @Test
    void aReplayThatSaysNothingIsRefused() {
        given().contentType(ContentType.JSON).body("{}").post("/admin/dlq/replay").then().statusCode(400)
                .contentType("application/problem+json");
    }

    private static Map<String, Object> record(JsonPath listing, String orderId) {
        List<Map<String, Object>> records = listing.getList("records");
        return records.stream().filter(r -> orderId.equals(r.get("orderId"))).findFirst()
                .orElseThrow(() -> new AssertionError(orderId + " not listed: " + records));
    }
}
