package io.sagashop.contracts;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Turns a payload written with an older schema version into the current shape. Events are immutable once
 * published, so old versions stay in topics and in the order event store for ever; readers upcast, writers never
 * rewrite history.
 */
final class Upcasters {

    /** Key: event type and the version the step starts from; each step lifts a payload one version up. */
    private record Step(EventType type, int fromVersion) {
    }

    private static final Map<Step, UnaryOperator<JsonNode>> STEPS = Map.of();

    private Upcasters() {
    }

    static JsonNode upcast(EventType type, int version, JsonNode payload) {
        if (version > EventType.CURRENT_SCHEMA_VERSION) {
            // A newer producer: read what we know and ignore the rest (unknown fields are not an error).
            return payload;
        }
        JsonNode current = payload;
        for (int v = Math.max(version, 1); v < EventType.CURRENT_SCHEMA_VERSION; v++) {
            UnaryOperator<JsonNode> step = STEPS.get(new Step(type, v));
            if (step != null) {
                current = step.apply(current);
            }
        }
        return current;
    }
}
