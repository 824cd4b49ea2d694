package io.sagashop.order.store;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.order.domain.OrderState;
import io.sagashop.order.domain.SagaFacts;
import io.sagashop.platform.messaging.EventLog;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.sagashop.platform.store.Sql;
import io.sagashop.platform.store.SqlTransaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the order's event stream, its snapshots and the saga's bookkeeping. */
@ApplicationScoped
// Snapshots are written and read through EventCodec's mapper: OrderState needs reflection in a native executable.
@RegisterForReflection(targets = {OrderState.class, io.sagashop.order.domain.OrderStatus.class})
public class OrderStore {

    private static final Logger LOG = Logger.getLogger(OrderStore.class);

    /** The shape of {@link OrderState} in {@code snapshots.state}; bump it when OrderState changes shape. */
    static final int SNAPSHOT_FORMAT = 1;

    private static final String EVENTS_AFTER = "select " + EventLog.COLUMNS
            + " from events e where e.stream_id = $1 and e.version > $2 order by e.version";

    /** The order's events, oldest first. */
    public Uni<List<EventEnvelope>> history(Sql db, String orderId) {
        return eventsAfter(db, orderId, 0);
    }

    private Uni<List<EventEnvelope>> eventsAfter(Sql db, String orderId, long version) {
        return db.preparedQuery(EVENTS_AFTER).execute(Tuple.of(orderId, version)).map(rows -> {
            List<EventEnvelope> events = new ArrayList<>();
            for (Row row : rows) {
                events.add(EventLog.envelope(row));
            }
            return events;
        });
    }

    // One round trip (every reply loads its order): the snapshot, if any in the current format, and the events after
    // it, one event per row (a single row of nulls when there is none after the snapshot).
    private static final String LOAD = "select s.state::text as snapshot, " + EventLog.COLUMNS + " " + """
             from (select 1) as one
             left join snapshots s on s.stream_id = $1 and s.format = $2
             left join events e on e.stream_id = $1 and e.version > coalesce(s.version, 0)
             order by e.version""";

    /** The current state: the latest snapshot (if any) plus the events after it. */
    public Uni<OrderState> load(Sql db, String orderId) {
        return db.preparedQuery(LOAD).execute(Tuple.of(orderId, SNAPSHOT_FORMAT)).chain(rows -> {
            String snapshot = rows.size() == 0 ? null : rows.iterator().next().getString("snapshot");
            OrderState from = snapshot == null ? OrderState.empty(orderId) : readSnapshot(orderId, snapshot);
            if (from == null) {
                return replayAll(db, orderId); // unreadable: the rows hold only the events after it
            }
            List<EventEnvelope> events = new ArrayList<>();
            for (Row row : rows) {
                if (row.getUUID("event_id") != null) {
                    events.add(EventLog.envelope(row));
                }
            }
            return Uni.createFrom().item(from.applyAll(events, Instant.MAX));
        });
    }

    /** The current state by replaying every event, ignoring snapshots. */
    public Uni<OrderState> replayAll(Sql db, String orderId) {
        return history(db, orderId).map(events -> OrderState.replay(orderId, events, Instant.MAX));
    }

    /** The snapshot's state, or null when it cannot be read (then the caller replays). */
    private static OrderState readSnapshot(String orderId, String json) {
        try {
            return EventCodec.mapper().readValue(json, OrderState.class);
        } catch (IOException e) {
            LOG.warnf("ignoring unreadable snapshot of order %s: %s", orderId, e.getMessage());
            return null;
        }
    }

    /** Stores {@code state} as the order's snapshot unless a newer one is there already. */
    public Uni<Void> saveSnapshot(SqlTransaction tx, OrderState state) {
        String json;
        try {
            json = EventCodec.mapper().writeValueAsString(state);
        } catch (IOException e) {
            throw new IllegalStateException("cannot snapshot order " + state.orderId(), e);
        }
        return tx.preparedQuery("""
                        insert into snapshots (stream_id, version, format, state) values ($1, $2, $3, $4::text::jsonb)
                        on conflict (stream_id) do update set version = excluded.version, format = excluded.format,
                            state = excluded.state, taken_at = now()
                        where snapshots.version < excluded.version or snapshots.format <> excluded.format""")
                .execute(Tuple.of(state.orderId(), state.version(), SNAPSHOT_FORMAT, json))
                .replaceWithVoid();
    }

    /** Serialises the transactions that decide for one order, until this transaction ends. */
    public Uni<Void> lockOrder(SqlTransaction tx, String orderId) {
        return tx.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 0))").execute(Tuple.of(orderId)).replaceWithVoid();
    }

    public Uni<Void> recordReply(SqlTransaction tx, EventEnvelope reply) {
        return tx.preparedQuery("insert into saga_replies (event_id, order_id, type, envelope) values ($1, $2, $3, $4) on conflict do nothing")
                .execute(Tuple.of(reply.eventId(), reply.orderId(), reply.type(), EventCodec.toJson(reply)))
                .replaceWithVoid();
    }

    public Uni<SagaFacts> facts(SqlTransaction tx, String orderId) {
        return tx.preparedQuery("select envelope from saga_replies where order_id = $1")
                .execute(Tuple.of(orderId))
                .map(rows -> {
                    SagaFacts facts = SagaFacts.NONE;
                    for (Row row : rows) {
                        facts = facts.with(EventCodec.payload(EventCodec.fromJson(row.getString("envelope"))));
                    }
                    return facts;
                });
    }

    public Uni<Void> watchDeadline(SqlTransaction tx, String orderId, Instant deadline) {
        return tx.preparedQuery("insert into saga_deadlines (order_id, deadline) values ($1, $2) on conflict do nothing")
                .execute(Tuple.of(orderId, deadline.atOffset(java.time.ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Void> forgetDeadline(SqlTransaction tx, String orderId) {
        return tx.preparedQuery("delete from saga_deadlines where order_id = $1").execute(Tuple.of(orderId)).replaceWithVoid();
    }

    public Uni<Void> deadlineFired(SqlTransaction tx, String orderId) {
        return tx.preparedQuery("update saga_deadlines set fired = true where order_id = $1").execute(Tuple.of(orderId)).replaceWithVoid();
    }

    /** Orders whose deadline has passed by the database's clock, and that clock's time (null when there are none). */
    public record Due(List<String> orderIds, Instant now) {
    }

    /** See {@link Due}: the database's clock, so that every instance agrees on what is overdue. */
    public Uni<Due> overdue(SqlClient db, int limit) {
        return db.preparedQuery("""
                        select order_id, statement_timestamp() as now from saga_deadlines
                        where not fired and deadline <= statement_timestamp() order by deadline limit $1""")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    Instant now = null;
                    for (Row r : rows) {
                        ids.add(r.getString("order_id"));
                        now = r.getOffsetDateTime("now").toInstant();
                    }
                    return new Due(ids, now);
                });
    }

    /**
     * Orders still not terminal {@code window} after their deadline, not re-driven within the last window: by the
     * database's clock, so that every instance agrees.
     */
    public Uni<List<String>> stuck(SqlClient db, java.time.Duration window, int limit) {
        return db.preparedQuery("""
                        select order_id from saga_deadlines
                        where fired and deadline <= now() - $1 * interval '1 millisecond'
                          and (redriven_at is null or redriven_at <= now() - $1 * interval '1 millisecond')
                        order by deadline limit $2""")
                .execute(Tuple.of(window.toMillis(), limit))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString("order_id")));
                    return ids;
                });
    }

    public Uni<Void> redriven(SqlTransaction tx, String orderId) {
        return tx.preparedQuery("update saga_deadlines set redriven_at = now() where order_id = $1").execute(Tuple.of(orderId))
                .replaceWithVoid();
    }

    /** How many orders are past their deadline by more than {@code grace} and still not terminal. */
    public Uni<Long> countOverdue(SqlClient db, java.time.Duration grace) {
        return db.preparedQuery("select count(*) from saga_deadlines where deadline <= now() - $1 * interval '1 millisecond'")
                .execute(Tuple.of(grace.toMillis()))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Claims an idempotency key; returns the order id already bound to it, or null when the key is new. */
    public Uni<Claim> claimKey(SqlTransaction tx, String key, String requestHash, String orderId) {
        return tx.preparedQuery("insert into idempotency_keys (key, request_hash, order_id) values ($1, $2, $3) on conflict do nothing")
                .execute(Tuple.of(key, requestHash, orderId))
                .chain(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().item(new Claim(orderId, true, true))
                        : tx.preparedQuery("select request_hash, order_id from idempotency_keys where key = $1").execute(Tuple.of(key))
                        .map(rows -> {
                            Row row = rows.iterator().next();
                            return new Claim(row.getString("order_id"), false, row.getString("request_hash").equals(requestHash));
                        }));
    }

    /** @param fresh the key was new; @param sameRequest the stored request equals this one */
    public record Claim(String orderId, boolean fresh, boolean sameRequest) {
    }
}
