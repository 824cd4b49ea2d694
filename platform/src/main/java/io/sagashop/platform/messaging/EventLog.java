package io.sagashop.platform.messaging;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.events.SagaEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.sagashop.platform.store.SqlTransaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Appends events to the service's append-only {@code events} log inside the caller's transaction, and queues them in
 * {@code outbox} for {@link OutboxRelay}: a state change and the events it causes commit together (no dual write).
 * Each event gets the next version of its order's stream; {@code unique(stream_id, version)} turns two concurrent
 * writers for one order into a conflict instead of a gap or a duplicate.
 */
@ApplicationScoped
public class EventLog {

    /** The columns {@link #envelope(Row)} reads; select them as they are named here. */
    public static final String COLUMNS = "e.position, e.stream_id, e.version, e.event_id, e.type, e.schema_version, e.topic, "
            + "e.payload::text as payload, e.metadata->>'traceparent' as traceparent, e.recorded_at";

    // $7 and $8 go in as text: a String bound straight to a jsonb parameter would be stored as one JSON string.
    private static final String INSERT = """
            with appended as (
                insert into events (stream_id, version, event_id, type, schema_version, topic, payload, metadata, recorded_at)
                values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb, $9) returning position)
            insert into outbox (position) select position from appended returning position""";

    private final OutboxRelay relay;

    EventLog(OutboxRelay relay) {
        this.relay = relay;
    }

    /**
     * Appends after the order's last event in this service.
     *
     * @param traceparent the trace context of the step that caused the events (W3C), or null
     */
    public Uni<List<EventEnvelope>> append(SqlTransaction tx, String orderId, List<? extends SagaEvent> events, String traceparent) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return lastSequence(tx, orderId).chain(last -> appendAfter(tx, orderId, last, events, traceparent));
    }

    /**
     * Appends after version {@code lastSequence} (optimistic concurrency: if another transaction appended meanwhile,
     * the insert fails with a unique violation, see {@link Conflicts#isConflict(Throwable)}).
     */
    public Uni<List<EventEnvelope>> appendAfter(SqlTransaction tx, String orderId, long lastSequence, List<? extends SagaEvent> events,
                                                String traceparent) {
        List<EventEnvelope> envelopes = envelopes(orderId, lastSequence, events);
        return appendEnvelopes(tx, envelopes, traceparent).replaceWith(envelopes);
    }

    /** The envelopes {@link #appendAfter} would append: new ids, versions after {@code lastSequence}, the time now. */
    public List<EventEnvelope> envelopes(String orderId, long lastSequence, List<? extends SagaEvent> events) {
        // Microseconds: what timestamptz keeps, so the envelope published equals the one read back from the log.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<EventEnvelope> envelopes = new ArrayList<>(events.size());
        long sequence = lastSequence;
        for (SagaEvent event : events) {
            envelopes.add(EventCodec.envelope(UUID.randomUUID(), orderId, ++sequence, now, event));
        }
        return envelopes;
    }

    /** Appends envelopes made by {@link #envelopes}, with the same optimistic concurrency as {@link #appendAfter}. */
    public Uni<Void> appendEnvelopes(SqlTransaction tx, List<EventEnvelope> envelopes, String traceparent) {
        if (envelopes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String metadata = traceparent == null ? "{}" : EventCodec.json(EventCodec.mapper().createObjectNode().put("traceparent", traceparent));
        List<Tuple> rows = new ArrayList<>(envelopes.size());
        List<String> topics = new ArrayList<>(envelopes.size());
        for (EventEnvelope envelope : envelopes) {
            String topic = EventType.fromWireName(envelope.type()).orElseThrow().topic();
            topics.add(topic);
            rows.add(Tuple.from(new Object[]{envelope.orderId(), envelope.sequence(), envelope.eventId(), envelope.type(),
                    envelope.schemaVersion(), topic, EventCodec.json(envelope.payload()),
                    metadata, envelope.occurredAt().atOffset(ZoneOffset.UTC)}));
        }
        // One result per envelope, in order: the relay keeps each event by its position (see OutboxRelay#appended).
        return tx.preparedQuery(INSERT).executeBatch(rows).invoke(results -> {
            RowSet<Row> result = results;
            for (int i = 0; i < envelopes.size() && result != null; i++, result = result.next()) {
                for (Row row : result) {
                    relay.appended(row.getLong("position"), envelopes.get(i), topics.get(i), traceparent);
                }
            }
        }).replaceWithVoid();
    }

    /** The trace context the order's latest event in this service was appended under, or null. */
    public Uni<String> lastTraceparent(SqlClient db, String orderId) {
        return db.preparedQuery("select metadata->>'traceparent' as tp from events where stream_id = $1 order by version desc limit 1")
                .execute(Tuple.of(orderId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("tp"));
    }

    public Uni<Long> lastSequence(SqlTransaction tx, String orderId) {
        return tx.preparedQuery("select coalesce(max(version), 0) as last from events where stream_id = $1")
                .execute(Tuple.of(orderId))
                .map(rows -> rows.iterator().next().getLong("last"));
    }

    /** An event as stored, selected with {@link #COLUMNS}: exactly the envelope that was (or will be) published. */
    public static EventEnvelope envelope(Row row) {
        return new EventEnvelope(row.getUUID("event_id"), row.getString("type"), row.getInteger("schema_version"),
                row.getString("stream_id"), row.getLong("version"),
                row.getOffsetDateTime("recorded_at").toInstant(), EventCodec.tree(row.getString("payload")));
    }
}
