package io.sagashop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * What travels on every topic. The payload stays raw JSON here so that a consumer can upcast an older
 * {@code schemaVersion} before binding it to the current record (see {@link EventCodec#payload}).
 *
 * @param sequence position of this event among the events its service published for the order (1, 2, ...);
 *                 lets consumers recognise stale or duplicate events
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventEnvelope(UUID eventId, String type, int schemaVersion, String orderId, long sequence,
                            Instant occurredAt, JsonNode payload) {
}
