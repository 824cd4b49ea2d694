package io.sagashop.readmodel.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.readmodel.domain.OrderDocument;
import io.sagashop.readmodel.domain.ProjectedEvent;
import io.sagashop.readmodel.domain.ViewDelta;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.sagashop.platform.store.Sql;
import io.sagashop.platform.store.SqlTransaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writing the read model: which events each order's document has seen, the documents, the summary views' deltas. */
@ApplicationScoped
// Documents are stored as JSONB through EventCodec's mapper: their records need reflection in a native executable.
@RegisterForReflection(targets = {OrderDocument.class, OrderDocument.Item.class, OrderDocument.Payment.class,
        OrderDocument.Shipment.class, OrderDocument.Step.class})
public class ProjectionStore {

    /** Notification channel: the order id of every live document that changed, delivered on commit. */
    public static final String CHANNEL = "order_documents";

    public Uni<Void> lockOrder(SqlTransaction tx, String orderId) {
        return tx.preparedQuery("select pg_advisory_xact_lock(hashtextextended('read-model:' || $1, 0))")
                .execute(Tuple.of(orderId)).replaceWithVoid();
    }

    /** The generations being fed: the LIVE one and a BUILDING one during a rebuild, LIVE first. */
    public Uni<List<Generation>> fedGenerations(Sql db) {
        return db.preparedQuery("select id, state from generations where state in ('LIVE', 'BUILDING') order by state desc")
                .execute().map(rows -> {
                    List<Generation> gens = new ArrayList<>();
                    rows.forEach(r -> gens.add(new Generation(r.getInteger("id"), "LIVE".equals(r.getString("state")))));
                    return gens;
                });
    }

    public record Generation(int id, boolean live) {
    }

    /**
     * What recording an event found: whether it is new to the generation, every event of the order with it (this one
     * included), and the order's document before it (null if none).
     */
    public record Recorded(boolean fresh, List<ProjectedEvent> events, OrderDocument before) {
    }

    /**
     * Records the event in the generation and reads the order's other events and its document, in one statement (one
     * round trip instead of three: this runs for every event). The read sees the statement's snapshot, so it returns
     * the events recorded before; this one is added from memory.
     */
    public Uni<Recorded> record(SqlTransaction tx, int generation, EventEnvelope envelope, ProjectedEvent event) {
        return tx.preparedQuery("""
                        with inserted as (
                            insert into view_events (generation, event_id, order_id, service, sequence, type, occurred_at, trace_id, envelope)
                            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing returning event_id)
                        select (select count(*) from inserted) as fresh,
                               (select doc::text from order_documents where generation = $1 and order_id = $3) as doc,
                               e.event_id as earlier, e.service, e.trace_id, e.envelope
                        from (select 1) as one
                        left join view_events e on e.generation = $1 and e.order_id = $3""")
                .execute(Tuple.from(new Object[]{generation, event.eventId(), envelope.orderId(), event.service(),
                        event.sequence(), envelope.type(), event.occurredAt().atOffset(ZoneOffset.UTC), event.traceId(),
                        EventCodec.toJson(envelope)}))
                .map(rows -> {
                    boolean fresh = false;
                    OrderDocument before = null;
                    List<ProjectedEvent> events = new ArrayList<>();
                    for (Row r : rows) {
                        fresh = r.getLong("fresh") == 1;
                        String doc = r.getString("doc");
                        before = doc == null ? null : StoredJson.read(doc, OrderDocument.class);
                        if (r.getValue("earlier") != null) {
                            EventEnvelope e = EventCodec.fromJson(r.getString("envelope"));
                            events.add(new ProjectedEvent(e.eventId(), r.getString("service"), e.sequence(), e.occurredAt(),
                                    r.getString("trace_id"), EventCodec.payload(e)));
                        }
                    }
                    if (fresh) {
                        events.add(event);
                    }
                    return new Recorded(fresh, events, before);
                });
    }

    public Uni<Void> saveDocument(SqlTransaction tx, int generation, OrderDocument doc) {
        return tx.preparedQuery("""
                        insert into order_documents (generation, order_id, created_at, doc) values ($1, $2, $3, $4::text::jsonb)
                        on conflict (generation, order_id) do update set created_at = excluded.created_at, doc = excluded.doc""")
                .execute(Tuple.of(generation, doc.orderId(), doc.createdAt().atOffset(ZoneOffset.UTC), StoredJson.write(doc)))
                .replaceWithVoid();
    }

    /** Adds the delta to the summary views; tables in a fixed order, rows in key order (no deadlocks). */
    public Uni<Void> applyDelta(SqlTransaction tx, int generation, ViewDelta d) {
        // Pipelined (one round trip), in this order: PostgreSQL runs a connection's statements in the order sent.
        List<Uni<?>> writes = new ArrayList<>();
        if (!d.byStatus().isEmpty()) {
            writes.add(tx.preparedQuery("""
                            insert into status_counts (generation, status, orders)
                            select $1, s, n::bigint from unnest($2::text[], $3::text[]) with ordinality as t(s, n, i) order by i
                            on conflict (generation, status) do update set orders = status_counts.orders + excluded.orders""")
                    .execute(Tuple.of(generation, d.byStatus().keySet().toArray(String[]::new),
                            d.byStatus().values().stream().map(String::valueOf).toArray(String[]::new))));
        }
        if (!d.products().isEmpty()) {
            writes.add(tx.preparedQuery("""
                            insert into product_sales (generation, sku, name, units, revenue)
                            select $1, s, n, u::bigint, r::numeric from unnest($2::text[], $3::text[], $4::text[], $5::text[])
                                with ordinality as t(s, n, u, r, i) order by i
                            on conflict (generation, sku) do update set units = product_sales.units + excluded.units,
                                revenue = product_sales.revenue + excluded.revenue, name = coalesce(excluded.name, product_sales.name)""")
                    .execute(Tuple.of(generation, d.products().keySet().toArray(String[]::new),
                            d.products().values().stream().map(ViewDelta.Sale::name).toArray(String[]::new),
                            d.products().values().stream().map(s -> String.valueOf(s.units())).toArray(String[]::new),
                            d.products().values().stream().map(s -> s.revenue().toPlainString()).toArray(String[]::new))));
        }
        if (!d.customers().isEmpty()) {
            writes.add(tx.preparedQuery("""
                            insert into customer_summaries (generation, customer_id, orders, completed, cancelled, spend)
                            select $1, c, o::int, k::int, x::int, s::numeric
                                from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) with ordinality as t(c, o, k, x, s, i) order by i
                            on conflict (generation, customer_id) do update set orders = customer_summaries.orders + excluded.orders,
                                completed = customer_summaries.completed + excluded.completed,
                                cancelled = customer_summaries.cancelled + excluded.cancelled,
                                spend = customer_summaries.spend + excluded.spend""")
                    .execute(Tuple.of(generation, d.customers().keySet().toArray(String[]::new),
                            d.customers().values().stream().map(c -> String.valueOf(c.orders())).toArray(String[]::new),
                            d.customers().values().stream().map(c -> String.valueOf(c.completed())).toArray(String[]::new),
                            d.customers().values().stream().map(c -> String.valueOf(c.cancelled())).toArray(String[]::new),
                            d.customers().values().stream().map(c -> c.spend().toPlainString()).toArray(String[]::new))));
        }
        if (d.orders() != 0 || d.revenue().signum() != 0) {
            writes.add(tx.preparedQuery("""
                            insert into totals (generation, orders, revenue) values ($1, $2, $3::text::numeric)
                            on conflict (generation) do update set orders = totals.orders + excluded.orders,
                                revenue = totals.revenue + excluded.revenue""")
                    .execute(Tuple.of(generation, (long) d.orders(), d.revenue().toPlainString())));
        }
        return writes.isEmpty() ? Uni.createFrom().voidItem() : Uni.combine().all().unis(writes).discardItems();
    }

    /** Tells the dashboard's listeners, on commit, which live documents changed. */
    public Uni<Void> notifyChanged(SqlTransaction tx, java.util.Collection<String> orderIds) {
        return tx.preparedQuery("select pg_notify('" + CHANNEL + "', o) from unnest($1::text[]) as o")
                .execute(Tuple.of(orderIds.toArray(String[]::new))).replaceWithVoid();
    }
}
