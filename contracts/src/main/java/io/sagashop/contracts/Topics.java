package io.sagashop.contracts;

/** Kafka topic names. One topic per publishing service; the record key is always the order id. */
public final class Topics {
    public static final String ORDER_EVENTS = "order-events";
    public static final String INVENTORY_EVENTS = "inventory-events";
    public static final String PAYMENT_EVENTS = "payment-events";
    public static final String SHIPPING_EVENTS = "shipping-events";

    /** Every topic the saga publishes to, in choreography order. */
    public static final java.util.List<String> ALL = java.util.List.of(ORDER_EVENTS, INVENTORY_EVENTS, PAYMENT_EVENTS, SHIPPING_EVENTS);

    /** Services that consume saga events, each with its own dead-letter topic. */
    public static final java.util.List<String> CONSUMERS = java.util.List.of("order", "inventory", "payment", "shipping", "read-model");

    private Topics() {
    }

    /** The dead-letter topic of one consuming service, e.g. {@code payment-dlq}. */
    public static String deadLetter(String service) {
        return service + "-dlq";
    }
}
