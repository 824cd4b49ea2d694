package io.sagashop.contracts;

/** Kafka record headers every saga event carries next to its JSON envelope. */
public final class Headers {
    public static final String TYPE = "type";
    public static final String EVENT_ID = "eventId";
    public static final String TRACEPARENT = "traceparent";

    private Headers() {
    }
}
