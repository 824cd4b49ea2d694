package io.sagashop.platform.messaging;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.events.SagaEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes events into the {@code outbox} table inside the caller's transaction, so that a state change and the
 * events it causes commit together (no dual write). {@link OutboxRelay} publishes them afterwards.
 * Each event gets the next {@code sequence} of its order within this service; {@code unique(order_id, sequence)}
 * turns two concurrent writers for one order into a conflict instead of a gap or a duplicate.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = """
            insert into outbox (event_id, topic, order_id, sequence, type, envelope, traceparent)
            values ($1, $2, $3, $4, $5, $6, $7)""";

    /** Appends after the order's last event in this service. */
    public Uni<List<EventEnvelope>> append(SqlConnection tx, String orderId, List<? extends SagaEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return lastSequence(tx, orderId).chain(last -> appendAfter(tx, orderId, last, events));
    }

    /**
     * Appends after {@code lastSequence} (optimistic concurrency: if another transaction appended meanwhile, the
     * insert fails with a unique violation, see {@link Conflicts#isConflict(Throwable)}).
     */
    public Uni<List<EventEnvelope>> appendAfter(SqlConnection tx, String orderId, long lastSequence, List<? extends SagaEvent> events) {
        Instant now = Instant.now();
        List<EventEnvelope> envelopes = new ArrayList<>(events.size());
        List<Tuple> rows = new ArrayList<>(events.size());
        long sequence = lastSequence;
        for (SagaEvent event : events) {
            EventEnvelope envelope = EventCodec.envelope(UUID.randomUUID(), orderId, ++sequence, now, event);
            envelopes.add(envelope);
            rows.add(Tuple.from(new Object[]{envelope.eventId(), EventType.of(event).topic(), orderId, sequence,
                    envelope.type(), EventCodec.toJson(envelope), null}));
        }
        return tx.preparedQuery(INSERT).executeBatch(rows).replaceWith(envelopes);
    }

    public Uni<Long> lastSequence(SqlConnection tx, String orderId) {
        return tx.preparedQuery("select coalesce(max(sequence), 0) as last from outbox where order_id = $1")
                .execute(Tuple.of(orderId))
                .map(rows -> rows.iterator().next().getLong("last"));
    }
}
