package io.sagashop.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sagashop.contracts.events.SagaEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/** Reads and writes envelopes and their payloads. Unknown fields are ignored, so producers can add fields freely. */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // Money: keep 19.80 as 19.80 (no double, no lost scale) through the JSON tree and back.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private EventCodec() {
    }

    /** Wraps an event into a new envelope with its type's current schema version. */
    public static EventEnvelope envelope(UUID eventId, String orderId, long sequence, Instant occurredAt, SagaEvent event) {
        EventType type = EventType.of(event);
        return new EventEnvelope(eventId, type.wireName(), type.schemaVersion(), orderId, sequence,
                occurredAt, MAPPER.valueToTree(event));
    }

    public static String toJson(EventEnvelope envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event " + envelope.eventId(), e);
        }
    }

    /** @throws MalformedEventException when the bytes are not a readable envelope of a known event type */
    public static EventEnvelope fromJson(String json) {
        EventEnvelope envelope;
        try {
            envelope = MAPPER.readValue(json, EventEnvelope.class);
        } catch (IOException e) {
            throw new MalformedEventException("not a JSON event envelope: " + e.getMessage(), e);
        }
        if (envelope == null || envelope.eventId() == null || envelope.type() == null || envelope.orderId() == null
                || envelope.payload() == null) {
            throw new MalformedEventException("envelope lacks eventId, type, orderId or payload", null);
        }
        return envelope;
    }

    /** Binds the payload to its record, upcasting older schema versions first. */
    public static SagaEvent payload(EventEnvelope envelope) {
        EventType type = EventType.fromWireName(envelope.type())
                .orElseThrow(() -> new MalformedEventException("unknown event type " + envelope.type(), null));
        JsonNode payload = Upcasters.upcast(type, envelope.schemaVersion(), envelope.payload());
        try {
            return MAPPER.treeToValue(payload, type.recordClass());
        } catch (IOException e) {
            throw new MalformedEventException("payload of " + envelope.type() + " does not bind: " + e.getMessage(), e);
        }
    }

    /** A payload (or any JSON tree) as text, exact decimals kept. */
    public static String json(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    /** Text back into a tree, exact decimals kept. */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new MalformedEventException("not JSON: " + e.getMessage(), e);
        }
    }

    /** The mapper the contracts are read and written with, for callers that need plain JSON in the same dialect. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** An event that can never be processed however often it is retried: it belongs in the dead-letter topic. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
