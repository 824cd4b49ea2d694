package io.sagashop.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagashop.contracts.events.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

class EventCodecTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:15:30.123456Z");
    private static final List<PricedLine> PRICED = List.of(new PricedLine("SKU-1", "Mug", 2, new BigDecimal("9.90")));

    /** One realistic sample per event type; the test below fails if a new type is added without one. */
    static final Map<EventType, SagaEvent> SAMPLES = new EnumMap<>(Map.ofEntries(
            Map.entry(EventType.ORDER_PLACED, new OrderPlaced("c-1", "ada@example.com", List.of(new OrderLine("SKU-1", 2)),
                    "****sa", "v1:opened-only-by-payment", new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "US"), AT.plusSeconds(30))),
            Map.entry(EventType.ORDER_RESERVED, new OrderReserved(PRICED, new BigDecimal("19.80"))),
            Map.entry(EventType.ORDER_PAID, new OrderPaid(new BigDecimal("19.80"), "pay_123")),
            Map.entry(EventType.ORDER_COMPLETED, new OrderCompleted("SANDBOX-POST", "TRK-1")),
            Map.entry(EventType.ORDER_CANCELLATION_REQUESTED, new OrderCancellationRequested(FailureReason.TIMEOUT)),
            Map.entry(EventType.ORDER_CANCELLED, new OrderCancelled(FailureReason.PAYMENT_DECLINED)),
            Map.entry(EventType.INVENTORY_RESERVED, new InventoryReserved(PRICED, new BigDecimal("19.80"))),
            Map.entry(EventType.INVENTORY_REJECTED, new InventoryRejected(FailureReason.OUT_OF_STOCK, "SKU-1", "1 available")),
            Map.entry(EventType.INVENTORY_RELEASED, new InventoryReleased(List.of(new OrderLine("SKU-1", 2)))),
            Map.entry(EventType.PAYMENT_CAPTURED, new PaymentCaptured(new BigDecimal("19.80"), "pay_123")),
            Map.entry(EventType.PAYMENT_DECLINED, new PaymentDeclined("card declined")),
            Map.entry(EventType.PAYMENT_FAILED, new PaymentFailed("circuit open")),
            Map.entry(EventType.PAYMENT_REFUNDED, new PaymentRefunded(new BigDecimal("19.80"), "ref_9")),
            Map.entry(EventType.SHIPMENT_SCHEDULED, new ShipmentScheduled("SANDBOX-POST", "TRK-1")),
            Map.entry(EventType.SHIPMENT_FAILED, new ShipmentFailed("address rejected")),
            Map.entry(EventType.SHIPMENT_CANCELLED, new ShipmentCancelled("TRK-1"))));

    @Test
    void everyEventTypeHasASample() {
        assertEquals(EventType.values().length, SAMPLES.size());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void eachEventRoundTripsThroughJson(EventType type) {
        SagaEvent event = SAMPLES.get(type);
        UUID id = UUID.randomUUID();
        EventEnvelope sent = EventCodec.envelope(id, "order-1", 3, AT, event);

        EventEnvelope received = EventCodec.fromJson(EventCodec.toJson(sent));

        assertEquals(id, received.eventId());
        assertEquals(type.wireName(), received.type());
        assertEquals(type.schemaVersion(), received.schemaVersion());
        assertEquals("order-1", received.orderId());
        assertEquals(3, received.sequence());
        assertEquals(AT, received.occurredAt());
        assertEquals(event, EventCodec.payload(received));
    }

    @Test
    void unknownFieldsInEnvelopeAndPayloadAreIgnored() {
        ObjectNode json = EventCodec.mapper().valueToTree(
                EventCodec.envelope(UUID.randomUUID(), "order-2", 1, AT, SAMPLES.get(EventType.PAYMENT_CAPTURED)));
        json.put("producedBy", "payment-v2");
        ((ObjectNode) json.get("payload")).put("currency", "EUR");
        ((ObjectNode) json.get("payload")).putObject("fees").put("provider", 0.3);

        EventEnvelope read = EventCodec.fromJson(json.toString());

        assertEquals(SAMPLES.get(EventType.PAYMENT_CAPTURED), EventCodec.payload(read));
    }

    @Test
    void aNewerSchemaVersionIsReadForTheFieldsWeKnow() {
        ObjectNode json = EventCodec.mapper().valueToTree(
                EventCodec.envelope(UUID.randomUUID(), "order-3", 1, AT, SAMPLES.get(EventType.SHIPMENT_SCHEDULED)));
        json.put("schemaVersion", 7);

        assertEquals(SAMPLES.get(EventType.SHIPMENT_SCHEDULED), EventCodec.payload(EventCodec.fromJson(json.toString())));
    }

    @Test
    void aVersion1CancellationRequestIsUpcastWithTheSourceItsReasonImplies() {
        // Exactly what the order service wrote before schema version 2 (no requestedBy).
        String v1 = """
                {"eventId":"8d4b7c1e-6f0a-4c39-9a57-2f1d3c4b5a60","type":"OrderCancellationRequested","schemaVersion":1,
                 "orderId":"order-5","sequence":3,"occurredAt":"2026-11-01T08:00:00Z","payload":{"reason":"TIMEOUT"}}""";

        SagaEvent event = EventCodec.payload(EventCodec.fromJson(v1));

        assertEquals(new OrderCancellationRequested(FailureReason.TIMEOUT, CancellationSource.DEADLINE), event);
        assertEquals(CancellationSource.CUSTOMER, ((OrderCancellationRequested) EventCodec.payload(EventCodec.fromJson(
                v1.replace("TIMEOUT", "CUSTOMER_CANCELLED")))).requestedBy());
        assertEquals(CancellationSource.SAGA, ((OrderCancellationRequested) EventCodec.payload(EventCodec.fromJson(
                v1.replace("TIMEOUT", "SHIPPING_FAILED")))).requestedBy());
    }

    @Test
    void aVersion1OrderPlacedShowsItsTokenMaskedAndHandsPaymentTheUnsealedForm() {
        // What the order service wrote before schema version 2: the token in clear.
        String v1 = """
                {"eventId":"8d4b7c1e-6f0a-4c39-9a57-2f1d3c4b5a61","type":"OrderPlaced","schemaVersion":1,
                 "orderId":"order-7","sequence":1,"occurredAt":"2026-11-01T08:00:00Z","payload":{"customerId":"c-1",
                 "items":[{"sku":"MUG","quantity":1}],"paymentToken":"tok_visa_4242","deadline":"2026-11-01T08:00:30Z"}}""";

        OrderPlaced placed = (OrderPlaced) EventCodec.payload(EventCodec.fromJson(v1));

        assertEquals("****4242", placed.paymentMethod());
        assertEquals("tok_visa_4242", new PaymentTokenSeal(PaymentTokenSeal.newKey()).open("order-7", placed.sealedPaymentToken()));
        assertFalse(EventCodec.mapper().valueToTree(placed).has("paymentToken"));
    }

    @Test
    void aCurrentVersionIsNotUpcast() {
        // v2 with an explicit source that differs from what the reason would imply: the reader keeps it.
        ObjectNode json = EventCodec.mapper().valueToTree(EventCodec.envelope(UUID.randomUUID(), "order-6", 2, AT,
                new OrderCancellationRequested(FailureReason.TIMEOUT, CancellationSource.CUSTOMER)));

        assertEquals(2, json.get("schemaVersion").asInt());
        assertEquals(CancellationSource.CUSTOMER,
                ((OrderCancellationRequested) EventCodec.payload(EventCodec.fromJson(json.toString()))).requestedBy());
    }

    @Test
    void garbageIsAMalformedEvent() {
        assertThrows(EventCodec.MalformedEventException.class, () -> EventCodec.fromJson("{not json"));
        assertThrows(EventCodec.MalformedEventException.class, () -> EventCodec.fromJson("{\"type\":\"OrderPlaced\"}"));
    }

    @Test
    void anUnknownTypeIsAMalformedEvent() {
        ObjectNode json = EventCodec.mapper().valueToTree(
                EventCodec.envelope(UUID.randomUUID(), "order-4", 1, AT, SAMPLES.get(EventType.ORDER_PAID)));
        json.put("type", "OrderTeleported");

        EventEnvelope envelope = EventCodec.fromJson(json.toString());

        assertThrows(EventCodec.MalformedEventException.class, () -> EventCodec.payload(envelope));
    }

    @Test
    void eachEventBelongsToItsPublishersTopic() {
        assertEquals(Topics.ORDER_EVENTS, EventType.ORDER_CANCELLED.topic());
        assertEquals(Topics.INVENTORY_EVENTS, EventType.INVENTORY_RELEASED.topic());
        assertEquals(Topics.PAYMENT_EVENTS, EventType.PAYMENT_REFUNDED.topic());
        assertEquals(Topics.SHIPPING_EVENTS, EventType.SHIPMENT_FAILED.topic());
        assertEquals("read-model-dlq", Topics.deadLetter("read-model"));
    }
}
