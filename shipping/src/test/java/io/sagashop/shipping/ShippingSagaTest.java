package io.sagashop.shipping;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.*;
import io.sagashop.testing.ProviderStub;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shipping against the real broker and PostgreSQL, with WireMock as the carrier. */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
@WithTestResource(ProviderStub.class)
class ShippingSagaTest {

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        ProviderStub.server.resetAll();
        breakers.resetAll();
        ProviderStub.server.stubFor(post("/carrier/shipments").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"shipmentId\":\"sh_1\",\"carrier\":\"SANDBOX-POST\",\"trackingNumber\":\"TRK1\",\"status\":\"BOOKED\"}")));
        ProviderStub.server.stubFor(delete(urlMatching("/carrier/shipments/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"shipmentId\":\"sh_1\",\"status\":\"CANCELLED\"}")));
        cancelByKeyAnswers(200);
    }

    private static void cancelByKeyAnswers(int status) {
        ProviderStub.server.stubFor(post(urlMatching("/carrier/shipments/by-key/.*/cancel")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody("{\"cancelled\":true,\"shipmentId\":\"sh_1\"}")));
    }

    private static int cancelsByKeyOf(String order) {
        return ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/carrier/shipments/by-key/ship-" + order + "/cancel"))).size();
    }

    @Test
    void aPaymentCapturedDeliveredTwiceBooksOnce() {
        String order = placed("DE");
        EventEnvelope captured = TestEvents.envelope(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        TestEvents.publish(captured);
        TestEvents.publish(captured);

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ofSeconds(2));
        assertEquals(List.of("ShipmentScheduled"), out.stream().map(EventEnvelope::type).toList());
        ProviderStub.server.verify(1, postRequestedFor(urlEqualTo("/carrier/shipments")));
        given().get("/shipments/" + order).then().statusCode(200).body("status", is("SCHEDULED")).body("trackingNumber", is("TRK1"));
    }

    @Test
    void aPaymentCapturedBeforeTheOrderPlacedBooksOnceTheAddressArrives() {
        // Two topics, consumed independently: the payment may be known before the address.
        String order = UUID.randomUUID().toString();
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        TestEvents.awaitRecords(Topics.PAYMENT_EVENTS, order, 1, Duration.ofSeconds(10));
        given().get("/shipments/" + order).then().statusCode(404);
        ProviderStub.server.verify(0, postRequestedFor(urlEqualTo("/carrier/shipments")));

        TestEvents.publish(order, 1, new OrderPlaced("c-1", null, List.of(new OrderLine("MUG", 1)), "****sa", "v1:opened-only-by-payment",
                new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "DE"), Instant.now().plusSeconds(30)));

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ofSeconds(1));
        assertEquals(List.of("ShipmentScheduled"), out.stream().map(EventEnvelope::type).toList());
        ProviderStub.server.verify(1, postRequestedFor(urlEqualTo("/carrier/shipments")));
    }

    @Test
    void aCancellationAfterBookingCancelsAtTheCarrierAndConfirms() {
        String order = placed("DE");
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ZERO);

        TestEvents.publish(order, 2, new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED));

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 2, Duration.ZERO);
        assertEquals("ShipmentCancelled", out.get(1).type());
        ProviderStub.server.verify(1, deleteRequestedFor(urlEqualTo("/carrier/shipments/sh_1")));
        given().get("/shipments/" + order).then().body("status", is("CANCELLED"));
    }

    @Test
    void aShipmentIsShownOnlyToItsCustomerAndAdmins() {
        String order = placed("DE");
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ZERO);
        given().header("Authorization", "Bearer " + io.sagashop.testing.SagaShopTestResources.token("c-1"))
                .get("/shipments/" + order).then().statusCode(200).body("status", is("SCHEDULED"));
        given().header("Authorization", "Bearer " + io.sagashop.testing.SagaShopTestResources.token("c-2"))
                .get("/shipments/" + order).then().statusCode(404).contentType("application/problem+json");
        given().get("/shipments/" + order).then().statusCode(200);
    }

    @Test
    void aCancellationRequestedAgainByTheReDriveCancelsOnceAtTheCarrierAndConfirmsAgain() {
        String order = placed("DE");
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ZERO);

        TestEvents.publish(order, 2, new OrderCancellationRequested(FailureReason.TIMEOUT));
        TestEvents.publish(order, 3, new OrderCancellationRequested(FailureReason.TIMEOUT)); // the order service's re-drive

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 3, Duration.ofSeconds(1));
        assertEquals(List.of("ShipmentScheduled", "ShipmentCancelled", "ShipmentCancelled"), out.stream().map(EventEnvelope::type).toList());
        ProviderStub.server.verify(1, deleteRequestedFor(urlEqualTo("/carrier/shipments/sh_1")));
        given().get("/shipments/" + order).then().body("status", is("CANCELLED"));
    }

    @Test
    void closeToItsDeadlineACarrierThatKeepsFailingGivesShipmentFailedCancelsByKeyAndThenFailsFast() {
        // Within the give-up margin (5 s) of the deadline: an unavailable carrier fails the booking at once.
        ProviderStub.server.stubFor(post("/carrier/shipments").willReturn(aResponse().withStatus(503)));
        String first = placed("DE", Instant.now().plusSeconds(4));
        TestEvents.publish(first, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        assertEquals("ShipmentFailed", TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, first, 1, Duration.ZERO).get(0).type());
        ProviderStub.server.verify(3, postRequestedFor(urlEqualTo("/carrier/shipments")));
        assertEquals(1, cancelsByKeyOf(first), "the given-up booking is cancelled by its key");

        String second = placed("DE", Instant.now().plusSeconds(4));
        TestEvents.publish(second, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_2"));
        assertEquals("ShipmentFailed", TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, second, 1, Duration.ZERO).get(0).type());
        // Four failed calls opened the breaker: the second order's booking never reached the carrier after that.
        ProviderStub.server.verify(4, postRequestedFor(urlEqualTo("/carrier/shipments")));
    }

    @Test
    void anOrderPastItsDeadlineIsNeverBookedItsKeyIsCancelledAndTheShipmentFails() {
        // After an outage the backlog holds orders already being cancelled for their deadline: booking them would
        // only book to cancel, and hold up the orders that can still complete.
        String order = placed("DE", Instant.now().minusSeconds(1));
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        assertEquals(List.of("ShipmentFailed"), TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ofMillis(500))
                .stream().map(EventEnvelope::type).toList());
        ProviderStub.server.verify(0, postRequestedFor(urlEqualTo("/carrier/shipments")));
        assertEquals(1, cancelsByKeyOf(order));
        given().get("/shipments/" + order).then().body("status", is("FAILED"));
    }

    @Test
    void aCarrierOutageShorterThanTheDeadlineDelaysTheBookingInsteadOfFailingIt() {
        ProviderStub.server.stubFor(post("/carrier/shipments").willReturn(aResponse().withStatus(503)));
        String order = placed("DE");
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/carrier/shipments"))).size() >= 6);
        given().get("/shipments/" + order).then().statusCode(404); // nothing attempted that counts yet

        reset(); // the carrier is back
        assertEquals(List.of("ShipmentScheduled"), TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ofMillis(500))
                .stream().map(EventEnvelope::type).toList());
        assertEquals(0, cancelsByKeyOf(order));
    }

    @Test
    void aBookingSlowerThanTheTimeoutIsCancelledByItsKeyWhenGivenUpAndAgainByTheCompensation() {
        // The carrier books but answers after our 2 s timeout: we never learn of the booking. Past the deadline the
        // booking is given up and cancelled by key; the order's cancellation then cancels by key again (idempotent),
        // and only once the carrier confirms.
        ProviderStub.server.stubFor(post("/carrier/shipments").willReturn(aResponse().withStatus(201).withFixedDelay(2500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"shipmentId\":\"sh_1\",\"carrier\":\"SANDBOX-POST\",\"trackingNumber\":\"TRK1\",\"status\":\"BOOKED\"}")));
        String order = placed("DE", Instant.now().plusSeconds(2));
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));
        assertEquals("ShipmentFailed", TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ZERO).get(0).type());
        assertEquals(1, cancelsByKeyOf(order));

        cancelByKeyAnswers(503); // the carrier cannot confirm for a while: the compensation waits for it
        TestEvents.publish(order, 2, new OrderCancellationRequested(FailureReason.TIMEOUT));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> cancelsByKeyOf(order) >= 5);
        assertEquals(1, TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ZERO).size(), "not confirmed yet");

        cancelByKeyAnswers(200);
        assertEquals("ShipmentCancelled", TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 2, Duration.ZERO).get(1).type());
    }

    @Test
    void aRejectedAddressIsAShipmentFailedWithoutRetries() {
        ProviderStub.server.stubFor(post("/carrier/shipments").willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"REJECTED\"}")));
        String order = placed("XX");
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("9.90"), "ch_1"));

        assertEquals("ShipmentFailed", TestEvents.eventsAfter(Topics.SHIPPING_EVENTS, order, 1, Duration.ZERO).get(0).type());
        ProviderStub.server.verify(1, postRequestedFor(urlEqualTo("/carrier/shipments")));
    }

    private static String placed(String country) {
        return placed(country, Instant.now().plusSeconds(30));
    }

    private static String placed(String country, Instant deadline) {
        String order = UUID.randomUUID().toString();
        TestEvents.publish(order, 1, new OrderPlaced("c-1", null, List.of(new OrderLine("MUG", 1)), "****sa", "v1:opened-only-by-payment",
                new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", country), deadline));
        return order;
    }
}
