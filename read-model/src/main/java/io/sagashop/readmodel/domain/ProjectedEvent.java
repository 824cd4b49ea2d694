package io.sagashop.readmodel.domain;

import io.sagashop.contracts.events.SagaEvent;

import java.time.Instant;
import java.util.UUID;

/**
 * One saga event as the read model keeps it.
 *
 * @param service  the publishing service ({@code order}, {@code inventory}, {@code payment}, {@code shipping})
 * @param sequence the event's place among the events its service published for the order
 * @param traceId  the W3C trace id the event was published under, or null
 */
public record ProjectedEvent(UUID eventId, String service, long sequence, Instant occurredAt, String traceId,
                             SagaEvent event) {

    public String type() {
        return event.getClass().getSimpleName();
    }
}
