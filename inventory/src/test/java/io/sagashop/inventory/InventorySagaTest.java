package io.sagashop.inventory;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.*;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Inventory against the real broker and PostgreSQL: reservations, redelivery, compensation, poison records. */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class InventorySagaTest {

    @Test
    void anOrderPlacedDeliveredTwiceReservesOnce() {
        String sku = product(10);
        String order = UUID.randomUUID().toString();
        EventEnvelope placed = TestEvents.envelope(order, 1, placed(sku, 3));

        TestEvents.publish(placed);
        TestEvents.publish(placed);

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.INVENTORY_EVENTS, order, 1, Duration.ofSeconds(2));
        assertEquals(List.of("InventoryReserved"), out.stream().map(EventEnvelope::type).toList());
        given().get("/products/" + sku).then().body("available", is(7)).body("reserved", is(3)).body("sold", is(0));
    }

    @Test
    void aReleaseGivesStockBackOnceAndConfirmsEveryTime() {
        String sku = product(5);
        String order = UUID.randomUUID().toString();
        TestEvents.publish(order, 1, placed(sku, 2));
        TestEvents.eventsAfter(Topics.INVENTORY_EVENTS, order, 1, Duration.ZERO);

        TestEvents.publish(order, 1, new PaymentDeclined("card declined"));
        TestEvents.publish(order, 2, new OrderCancellationRequested(FailureReason.PAYMENT_DECLINED));

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.INVENTORY_EVENTS, order, 3, Duration.ofSeconds(1));
        assertEquals(List.of("InventoryReserved", "InventoryReleased", "InventoryReleased"), out.stream().map(EventEnvelope::type).toList());
        given().get("/products/" + sku).then().body("available", is(5)).body("reserved", is(0));
    }

    @Test
    void aCancellationBeforeTheReservationLeavesATombstoneSoNothingIsReservedLater() {
        String sku = product(5);
        String order = UUID.randomUUID().toString();
        TestEvents.publish(order, 1, new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED));
        TestEvents.eventsAfter(Topics.INVENTORY_EVENTS, order, 1, Duration.ZERO);
        TestEvents.publish(order, 2, placed(sku, 1));

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.INVENTORY_EVENTS, order, 1, Duration.ofSeconds(2));
        assertEquals(List.of("InventoryReleased"), out.stream().map(EventEnvelope::type).toList());
        given().get("/products/" + sku).then().body("available", is(5)).body("reserved", is(0));
    }

    @Test
    void aShipmentTurnsTheReservationIntoASale() {
        String sku = product(4);
        String order = UUID.randomUUID().toString();
        TestEvents.publish(order, 1, placed(sku, 4));
        TestEvents.eventsAfter(Topics.INVENTORY_EVENTS, order, 1, Duration.ZERO);

        TestEvents.publish(order, 1, new ShipmentScheduled("SANDBOX-POST", "TRK1"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().get("/products/" + sku).then().body("available", is(0)).body("reserved", is(0)).body("sold", is(4)));
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextRecordIsProcessed() {
        String key = "poison-" + UUID.randomUUID();
        TestEvents.publishRaw(Topics.ORDER_EVENTS, key, "[1, 2, 3]");
        String sku = product(1);
        String order = UUID.randomUUID().toString();
        TestEvents.publish(order, 1, placed(sku, 1));

        TestEvents.awaitRecords(Topics.deadLetter("inventory"), key, 1, Duration.ofSeconds(20));
        assertEquals("InventoryReserved", TestEvents.eventsAfter(Topics.INVENTORY_EVENTS, order, 1, Duration.ZERO).get(0).type());
    }

    @Test
    void restockAndUpsertKeepTheCatalogAndBadInputIsRefused() {
        String sku = product(2);
        given().contentType(ContentType.JSON).body(Map.of("quantity", 3)).post("/products/" + sku + "/restock").then()
                .statusCode(200).body("available", is(5));
        given().contentType(ContentType.JSON).body(Map.of("quantity", 0)).post("/products/" + sku + "/restock").then()
                .statusCode(400).body("violations[0].field", is("quantity"));
        given().contentType(ContentType.JSON).body(Map.of("quantity", 1)).post("/products/NOPE-" + sku + "/restock").then()
                .statusCode(404);
        given().get("/products/NOPE-" + sku).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theCatalogIsPublicAndOnlyAnAdminChangesIt() {
        String sku = product(2);
        String customer = "Bearer " + io.sagashop.testing.SagaShopTestResources.token("c-1");
        given().header("Authorization", customer).contentType(ContentType.JSON)
                .body(Map.of("sku", sku, "name", "Cheap", "price", new BigDecimal("0.01"), "stock", 1000)).post("/products").then()
                .statusCode(403).contentType("application/problem+json");
        given().header("Authorization", customer).contentType(ContentType.JSON).body(Map.of("quantity", 1000))
                .post("/products/" + sku + "/restock").then().statusCode(403);
        given().header("Authorization", "Bearer forged").contentType(ContentType.JSON).body(Map.of("quantity", 1000))
                .post("/products/" + sku + "/restock").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", customer).get("/products/" + sku).then().statusCode(200)
                .body("available", is(2)).body("price", is(4.50f));
        given().header("Authorization", customer).get("/admin/dlq").then().statusCode(403);
    }

    private static String product(int stock) {
        String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("sku", sku, "name", "Thing", "price", new BigDecimal("4.50"), "stock", stock))
                .post("/products").then().statusCode(201);
        return sku;
    }

    private static OrderPlaced placed(String sku, int quantity) {
        return new OrderPlaced("c-1", null, List.of(new OrderLine(sku, quantity)), "****sa", "v1:opened-only-by-payment",
                new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "DE"), Instant.now().plusSeconds(30));
    }
}
