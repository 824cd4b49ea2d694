package io.sagashop.contracts;

import io.sagashop.contracts.events.*;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event of the choreography: its wire name, record, topic and current schema version. */
public enum EventType {
    ORDER_PLACED(OrderPlaced.class, Topics.ORDER_EVENTS, 2),
    ORDER_RESERVED(OrderReserved.class, Topics.ORDER_EVENTS),
    ORDER_PAID(OrderPaid.class, Topics.ORDER_EVENTS),
    ORDER_COMPLETED(OrderCompleted.class, Topics.ORDER_EVENTS),
    ORDER_CANCELLATION_REQUESTED(OrderCancellationRequested.class, Topics.ORDER_EVENTS, 2),
    ORDER_CANCELLED(OrderCancelled.class, Topics.ORDER_EVENTS),
    INVENTORY_RESERVED(InventoryReserved.class, Topics.INVENTORY_EVENTS),
    INVENTORY_REJECTED(InventoryRejected.class, Topics.INVENTORY_EVENTS),
    INVENTORY_RELEASED(InventoryReleased.class, Topics.INVENTORY_EVENTS),
    PAYMENT_CAPTURED(PaymentCaptured.class, Topics.PAYMENT_EVENTS),
    PAYMENT_DECLINED(PaymentDeclined.class, Topics.PAYMENT_EVENTS),
    PAYMENT_FAILED(PaymentFailed.class, Topics.PAYMENT_EVENTS),
    PAYMENT_REFUNDED(PaymentRefunded.class, Topics.PAYMENT_EVENTS),
    SHIPMENT_SCHEDULED(ShipmentScheduled.class, Topics.SHIPPING_EVENTS),
    SHIPMENT_FAILED(ShipmentFailed.class, Topics.SHIPPING_EVENTS),
    SHIPMENT_CANCELLED(ShipmentCancelled.class, Topics.SHIPPING_EVENTS);

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(t -> t.recordClass, Function.identity()));

    private final Class<? extends SagaEvent> recordClass;
    private final String topic;
    private final int schemaVersion;

    EventType(Class<? extends SagaEvent> recordClass, String topic) {
        this(recordClass, topic, 1);
    }

    /** @param schemaVersion the version this type is written with today; bump it together with an upcaster step */
    EventType(Class<? extends SagaEvent> recordClass, String topic, int schemaVersion) {
        this.recordClass = recordClass;
        this.topic = topic;
        this.schemaVersion = schemaVersion;
    }

    /** The payload schema version events of this type are written with today (older ones are upcast on read). */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** The name on the wire (envelope {@code type} and the {@code type} header), e.g. {@code OrderPlaced}. */
    public String wireName() {
        return recordClass.getSimpleName();
    }

    public Class<? extends SagaEvent> recordClass() {
        return recordClass;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static EventType of(SagaEvent event) {
        return BY_CLASS.get(event.getClass());
    }
}
