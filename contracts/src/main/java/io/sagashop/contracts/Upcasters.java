package io.sagashop.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagashop.contracts.events.CancellationSource;
import io.sagashop.contracts.events.FailureReason;
import io.sagashop.contracts.events.OrderPlaced;

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

    private static final Map<Step, UnaryOperator<JsonNode>> STEPS = Map.of(
            // v2 added who asked; every v1 request's source follows from its reason.
            new Step(EventType.ORDER_CANCELLATION_REQUESTED, 1), Upcasters::cancellationSourceFromReason,
            // v2 sealed the payment token; a v1 event carried it in clear.
            new Step(EventType.ORDER_PLACED, 1), Upcasters::paymentTokenSealed);

    private Upcasters() {
    }

    static JsonNode upcast(EventType type, int version, JsonNode payload) {
        if (version >= type.schemaVersion()) {
            // Current, or a newer producer: read what we know and ignore the rest (unknown fields are not an error).
            return payload;
        }
        JsonNode current = payload;
        for (int v = Math.max(version, 1); v < type.schemaVersion(); v++) {
            UnaryOperator<JsonNode> step = STEPS.get(new Step(type, v));
            if (step != null) {
                current = step.apply(current);
            }
        }
        return current;
    }

    /**
     * A v1 OrderPlaced, written before tokens were sealed, keeps its clear token in the unsealed form
     * ({@link PaymentTokenSeal#unsealed}) that only payment reads, and shows people the masked one.
     */
    private static JsonNode paymentTokenSealed(JsonNode v1) {
        ObjectNode v2 = v1.deepCopy();
        JsonNode token = v2.remove(OrderPlaced.V1_PAYMENT_TOKEN);
        if (token != null && token.isTextual()) {
            v2.put("paymentMethod", PaymentTokenSeal.mask(token.asText()));
            v2.put("sealedPaymentToken", PaymentTokenSeal.unsealed(token.asText()));
        }
        return v2;
    }

    private static JsonNode cancellationSourceFromReason(JsonNode v1) {
        ObjectNode v2 = v1.deepCopy();
        JsonNode reason = v1.path("reason");
        if (reason.isTextual() && !v1.has("requestedBy")) {
            try {
                v2.put("requestedBy", CancellationSource.of(FailureReason.valueOf(reason.asText())).name());
            } catch (IllegalArgumentException unknownReason) {
                // A reason this reader does not know: leave requestedBy absent (null) rather than guess.
            }
        }
        return v2;
    }
}
