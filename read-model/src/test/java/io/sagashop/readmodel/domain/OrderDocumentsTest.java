package io.sagashop.readmodel.domain;

import io.sagashop.contracts.events.*;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

class OrderDocumentsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final List<PricedLine> LINES = List.of(new PricedLine("MUG", "Mug", 2, new BigDecimal("9.90")),
            new PricedLine("TEA", "Tea", 1, new BigDecimal("4.50")));
    private static final BigDecimal TOTAL = new BigDecimal("24.30");
    private static final OrderPlaced PLACED = new OrderPlaced("c-1", null,
            List.of(new OrderLine("MUG", 2), new OrderLine("TEA", 1)), "****sa", "v1:opened-only-by-payment",
            new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "DE"), T0.plusSeconds(30));

    private static ProjectedEvent e(String service, long sequence, int millis, SagaEvent event) {
        return new ProjectedEvent(UUID.nameUUIDFromBytes((service + sequence + millis).getBytes()), service, sequence,
                T0.plusMillis(millis), "trace-" + service, event);
    }

    static List<ProjectedEvent> happy() {
        return List.of(
                e("order", 1, 0, PLACED),
                e("inventory", 1, 10, new InventoryReserved(LINES, TOTAL)),
                e("order", 2, 15, new OrderReserved(LINES, TOTAL)),
                e("payment", 1, 20, new PaymentCaptured(TOTAL, "ch_1")),
                e("order", 3, 25, new OrderPaid(TOTAL, "ch_1")),
                e("shipping", 1, 30, new ShipmentScheduled("SANDBOX-POST", "TRK1")),
                e("order", 4, 40, new OrderCompleted("SANDBOX-POST", "TRK1")));
    }

    static List<ProjectedEvent> shippingFailed() {
        return List.of(
                e("order", 1, 0, PLACED),
                e("inventory", 1, 10, new InventoryReserved(LINES, TOTAL)),
                e("order", 2, 15, new OrderReserved(LINES, TOTAL)),
                e("payment", 1, 20, new PaymentCaptured(TOTAL, "ch_2")),
                e("order", 3, 25, new OrderPaid(TOTAL, "ch_2")),
                e("shipping", 1, 30, new ShipmentFailed("address rejected")),
                e("order", 4, 35, new OrderCancellationRequested(FailureReason.SHIPPING_FAILED)),
                e("inventory", 2, 40, new InventoryReleased(List.of(new OrderLine("MUG", 2), new OrderLine("TEA", 1)))),
                e("payment", 2, 41, new PaymentRefunded(TOTAL, "re_1")),
                e("shipping", 2, 42, new ShipmentCancelled(null)),
                e("order", 5, 50, new OrderCancelled(FailureReason.SHIPPING_FAILED)));
    }

    @Test
    void aCompletedOrdersDocumentHasItsItemsPaymentShipmentAndTimeline() {
        List<ProjectedEvent> events = happy();
        OrderDocument doc = OrderDocuments.project("o-1", events);

        assertEquals("COMPLETED", doc.status());
        assertNull(doc.failureReason());
        assertEquals("c-1", doc.customerId());
        assertEquals(List.of(new OrderDocument.Item("MUG", "Mug", 2, new BigDecimal("9.90")),
                new OrderDocument.Item("TEA", "Tea", 1, new BigDecimal("4.50"))), doc.items());
        assertEquals(TOTAL, doc.total());
        assertEquals(new OrderDocument.Payment("CAPTURED", TOTAL, BigDecimal.ZERO, "ch_1"), doc.payment());
        assertEquals(new OrderDocument.Shipment("SCHEDULED", "SANDBOX-POST", "TRK1"), doc.shipment());
        assertEquals(List.of("OrderPlaced", "InventoryReserved", "OrderReserved", "PaymentCaptured", "OrderPaid",
                "ShipmentScheduled", "OrderCompleted"), doc.timeline().stream().map(OrderDocument.Step::event).toList());
        assertEquals("trace-payment", doc.timeline().get(3).traceId());
        assertTrue(doc.timeline().stream().noneMatch(OrderDocument.Step::compensation));
        assertEquals(4, doc.lastSequence());
        assertEquals(T0, doc.createdAt());
        assertEquals(T0.plusMillis(40), doc.updatedAt());
    }

    @Test
    void aCompensatedOrderShowsTheRefundAndMarksTheCompensationSteps() {
        OrderDocument doc = OrderDocuments.project("o-2", shippingFailed());

        assertEquals("CANCELLED", doc.status());
        assertEquals("SHIPPING_FAILED", doc.failureReason());
        assertEquals(new OrderDocument.Payment("REFUNDED", TOTAL, TOTAL, "ch_2"), doc.payment());
        assertEquals("FAILED", doc.shipment().status(), "a confirming ShipmentCancelled without booking changes nothing");
        assertEquals(List.of("OrderCancellationRequested", "InventoryReleased", "PaymentRefunded", "ShipmentCancelled",
                        "OrderCancelled"),
                doc.timeline().stream().filter(OrderDocument.Step::compensation).map(OrderDocument.Step::event).toList());
        assertEquals("SHIPPING_FAILED, requested by SAGA", doc.timeline().get(6).detail());
    }

    @Test
    void theDocumentDoesNotDependOnTheOrderEventsArriveInNorOnDuplicates() {
        OrderDocument expected = OrderDocuments.project("o-2", shippingFailed());
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            List<ProjectedEvent> shuffled = new ArrayList<>(shippingFailed());
            shuffled.add(shuffled.get(random.nextInt(shuffled.size()))); // a redelivery
            Collections.shuffle(shuffled, random);
            // The store keeps a set of events: a duplicate by event id is dropped before projecting.
            List<ProjectedEvent> set = shuffled.stream().distinct().toList();
            assertEquals(expected, OrderDocuments.project("o-2", set));
        }
    }

    @Test
    void anOrderSeenOnlyThroughAParticipantIsPendingUntilItsOwnEventsArrive() {
        OrderDocument doc = OrderDocuments.project("o-3", List.of(e("payment", 1, 20, new PaymentDeclined("card declined"))));

        assertEquals("PENDING", doc.status());
        assertNull(doc.customerId());
        assertEquals("DECLINED", doc.payment().status());
        assertEquals(0, doc.lastSequence());
        assertEquals(T0.plusMillis(20), doc.createdAt());
    }

    @Test
    void summaryDeltasAddUpToTheFinalDocumentWhateverTheStepsInBetween() {
        List<ProjectedEvent> events = shippingFailed();
        OrderDocument before = null;
        int orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        java.util.Map<String, Integer> byStatus = new java.util.TreeMap<>();
        for (int n = 1; n <= events.size(); n++) {
            OrderDocument after = OrderDocuments.project("o-2", events.subList(0, n));
            ViewDelta d = ViewDelta.between(before, after);
            orders += d.orders();
            revenue = revenue.add(d.revenue());
            d.byStatus().forEach((s, k) -> byStatus.merge(s, k, Integer::sum));
            before = after;
        }
        byStatus.values().removeIf(v -> v == 0);

        assertEquals(1, orders);
        assertEquals(0, revenue.signum(), "captured and refunded: the shop kept nothing");
        assertEquals(java.util.Map.of("CANCELLED", 1), byStatus);
    }

    @Test
    void aCompletedOrderCountsItsUnitsAndRevenuePerProductAndItsCustomersSpend() {
        List<ProjectedEvent> events = happy();
        OrderDocument paid = OrderDocuments.project("o-1", events.subList(0, 5));
        OrderDocument completed = OrderDocuments.project("o-1", events);

        ViewDelta d = ViewDelta.between(paid, completed);

        assertEquals(new ViewDelta.Sale("Mug", 2, new BigDecimal("19.80")), d.products().get("MUG"));
        assertEquals(new ViewDelta.Sale("Tea", 1, new BigDecimal("4.50")), d.products().get("TEA"));
        assertEquals(java.util.Map.of("PAID", -1, "COMPLETED", 1), d.byStatus());
        assertEquals(new ViewDelta.Customer(0, 1, 0, new BigDecimal("0.00")), d.customers().get("c-1"));
        assertEquals(new ViewDelta.Customer(1, 0, 0, TOTAL), ViewDelta.between(null, paid).customers().get("c-1"));
    }
}
