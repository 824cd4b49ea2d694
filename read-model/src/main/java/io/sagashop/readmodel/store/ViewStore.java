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
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL of the read model: events applied, documents, summary views and generations (see V2__views.sql). */
@ApplicationScoped
// Documents are stored as JSONB through EventCodec's mapper: their records need reflection in a native executable.
@RegisterForReflection(targets = {OrderDocument.class, OrderDocument.Item.class, OrderDocument.Payment.class,
        OrderDocument.Shipment.class, OrderDocument.Step.class})
public class ViewStore {

    /** Reads always go to the LIVE generation, resolved in the same statement (a swap is atomic for readers). */
    public static final String LIVE = "(select id from generations where state = 'LIVE')";

    /** Notification channel: the order id of every live document that changed, delivered on commit. */
    public static final String CHANNEL = "order_documents";

    // ---- projection ----

    public Uni<Void> lockOrder(SqlConnection tx, String orderId) {
        return tx.preparedQuery("select pg_advisory_xact_lock(hashtextextended('read-model:' || $1, 0))")
                .execute(Tuple.of(orderId)).replaceWithVoid();
    }

    /** The generations being fed: the LIVE one and a BUILDING one during a rebuild, LIVE first. */
    public Uni<List<Generation>> fedGenerations(SqlClient db) {
        return db.query("select id, state from generations where state in ('LIVE', 'BUILDING') order by state desc")
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
    public Uni<Recorded> record(SqlConnection tx, int generation, EventEnvelope envelope, ProjectedEvent event) {
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
                        before = doc == null ? null : read(doc, OrderDocument.class);
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

    public Uni<Void> saveDocument(SqlConnection tx, int generation, OrderDocument doc) {
        return tx.preparedQuery("""
                        insert into order_documents (generation, order_id, created_at, doc) values ($1, $2, $3, $4::text::jsonb)
                        on conflict (generation, order_id) do update set created_at = excluded.created_at, doc = excluded.doc""")
                .execute(Tuple.of(generation, doc.orderId(), doc.createdAt().atOffset(ZoneOffset.UTC), write(doc)))
                .replaceWithVoid();
    }

    /** Adds the delta to the summary views; tables in a fixed order, rows in key order (no deadlocks). */
    public Uni<Void> applyDelta(SqlConnection tx, int generation, ViewDelta d) {
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
    public Uni<Void> notifyChanged(SqlConnection tx, java.util.Collection<String> orderIds) {
        return tx.preparedQuery("select pg_notify('" + CHANNEL + "', o) from unnest($1::text[]) as o")
                .execute(Tuple.of(orderIds.toArray(String[]::new))).replaceWithVoid();
    }

    // ---- queries (LIVE generation) ----

    /** The live document as stored JSON, or null. */
    public Uni<JsonNode> liveDocument(SqlClient db, String orderId) {
        return db.preparedQuery("select doc::text as doc from order_documents where generation = " + LIVE + " and order_id = $1")
                .execute(Tuple.of(orderId))
                .map(rows -> rows.size() == 0 ? null : EventCodec.tree(rows.iterator().next().getString("doc")));
    }

    /** Where a page starts: after this (createdAt, orderId), newest first. */
    public record Cursor(Instant createdAt, String orderId) {
    }

    public record Page(List<JsonNode> items, Cursor next) {
    }

    /**
     * Documents newest first, filtered by containment ({@code doc @> {...}}, served by the GIN index), keyset-paginated
     * on (created_at, order_id).
     */
    public Uni<Page> page(SqlClient db, String customerId, String status, int limit, Cursor after) {
        Map<String, String> filter = new LinkedHashMap<>();
        if (customerId != null) {
            filter.put("customerId", customerId);
        }
        if (status != null) {
            filter.put("status", status);
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select order_id, created_at, doc::text as doc from order_documents where generation = " + LIVE);
        if (!filter.isEmpty()) {
            params.add(write(filter));
            sql.append(" and doc @> $").append(params.size()).append("::text::jsonb");
        }
        if (after != null) {
            params.add(after.createdAt().atOffset(ZoneOffset.UTC));
            params.add(after.orderId());
            sql.append(" and (created_at, order_id) < ($").append(params.size() - 1).append(", $").append(params.size()).append(")");
        }
        params.add(limit + 1);
        sql.append(" order by created_at desc, order_id desc limit $").append(params.size());
        return db.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
            List<JsonNode> items = new ArrayList<>();
            Cursor next = null;
            Cursor last = null;
            for (Row r : rows) {
                if (items.size() == limit) {
                    next = last;
                    break;
                }
                items.add(EventCodec.tree(r.getString("doc")));
                last = new Cursor(r.getOffsetDateTime("created_at").toInstant(), r.getString("order_id"));
            }
            return new Page(items, next);
        });
    }

    public record CustomerSummary(String customerId, int orders, int completed, int cancelled, java.math.BigDecimal spend) {
    }

    public Uni<CustomerSummary> customer(SqlClient db, String customerId) {
        return db.preparedQuery("select * from customer_summaries where generation = " + LIVE + " and customer_id = $1")
                .execute(Tuple.of(customerId)).map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new CustomerSummary(customerId, r.getInteger("orders"), r.getInteger("completed"),
                            r.getInteger("cancelled"), r.getBigDecimal("spend"));
                });
    }

    public record ProductSales(String sku, String name, long units, java.math.BigDecimal revenue) {
    }

    /** @param stuck orders not ended {@code window} after their deadline (the order service re-drives them) */
    public record Stats(long orders, Map<String, Long> byStatus, java.math.BigDecimal revenue, List<ProductSales> topProducts,
                        long stuck) {
    }

    public Uni<Stats> stats(SqlClient db, int top, java.time.Duration window) {
        Uni<RowSet<Row>> totals = db.query("select orders, revenue from totals where generation = " + LIVE).execute();
        Uni<RowSet<Row>> statuses = db.query("select status, orders from status_counts where generation = " + LIVE
                + " and orders <> 0 order by status").execute();
        Uni<RowSet<Row>> products = db.preparedQuery("select sku, name, units, revenue from product_sales where generation = "
                + LIVE + " and units > 0 order by units desc, revenue desc, sku limit $1").execute(Tuple.of(top));
        Uni<RowSet<Row>> stuck = db.preparedQuery("select count(*) from order_documents where generation = " + LIVE
                + " and doc->>'status' not in ('COMPLETED', 'CANCELLED')"
                + " and (doc->>'deadline')::timestamptz < now() - $1 * interval '1 millisecond'").execute(Tuple.of(window.toMillis()));
        return Uni.combine().all().unis(totals, statuses, products, stuck).asTuple().map(t -> {
            long orders = 0;
            java.math.BigDecimal revenue = java.math.BigDecimal.ZERO;
            for (Row r : t.getItem1()) {
                orders = r.getLong("orders");
                revenue = r.getBigDecimal("revenue");
            }
            Map<String, Long> byStatus = new LinkedHashMap<>();
            t.getItem2().forEach(r -> byStatus.put(r.getString("status"), r.getLong("orders")));
            List<ProductSales> top5 = new ArrayList<>();
            t.getItem3().forEach(r -> top5.add(new ProductSales(r.getString("sku"), r.getString("name"), r.getLong("units"),
                    r.getBigDecimal("revenue"))));
            return new Stats(orders, byStatus, revenue, top5, t.getItem4().iterator().next().getLong(0));
        });
    }

    // ---- generations (rebuild) ----

    public record RebuildRow(int id, String state, OffsetDateTime startedAt, OffsetDateTime finishedAt, long processed,
                             long skipped, String error) {
    }

    /** The generation queries read. */
    public Uni<RebuildRow> liveGeneration(SqlClient db) {
        return generation(db, "select * from generations where state = 'LIVE'");
    }

    /** The newest generation (the current rebuild, or the last one, or the first LIVE one if none ever ran). */
    public Uni<RebuildRow> newestGeneration(SqlClient db) {
        return generation(db, "select * from generations order by id desc limit 1");
    }

    private Uni<RebuildRow> generation(SqlClient db, String sql) {
        return db.query(sql).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new RebuildRow(r.getInteger("id"), r.getString("state"), r.getOffsetDateTime("started_at"),
                    r.getOffsetDateTime("finished_at"), r.getLong("processed"), r.getLong("skipped"), r.getString("error"));
        });
    }

    /** Registers a BUILDING generation; fails with a unique violation if one is already building. */
    public Uni<Integer> startGeneration(SqlConnection tx) {
        return tx.query("insert into generations (id, state) select max(id) + 1, 'BUILDING' from generations returning id")
                .execute().map(rows -> rows.iterator().next().getInteger("id"));
    }

    public Uni<Void> progress(SqlClient db, int generation, long processed, long skipped) {
        return db.preparedQuery("update generations set processed = $2, skipped = $3 where id = $1 and state = 'BUILDING'")
                .execute(Tuple.of(generation, processed, skipped)).replaceWithVoid();
    }

    /** Makes the generation LIVE and the old one RETIRED, atomically for every reader. */
    public Uni<Void> swapIn(SqlConnection tx, int generation, long processed, long skipped) {
        return tx.query("update generations set state = 'RETIRED' where state = 'LIVE'").execute()
                .chain(() -> tx.preparedQuery("""
                                update generations set state = 'LIVE', finished_at = now(), processed = $2, skipped = $3
                                where id = $1 and state = 'BUILDING'""")
                        .execute(Tuple.of(generation, processed, skipped)))
                .invoke(r -> {
                    if (r.rowCount() != 1) {
                        throw new IllegalStateException("generation " + generation + " is no longer building");
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Void> fail(SqlClient db, int generation, String error) {
        return db.preparedQuery("update generations set state = 'FAILED', finished_at = now(), error = $2 where id = $1 and state = 'BUILDING'")
                .execute(Tuple.of(generation, error)).replaceWithVoid();
    }

    /** Frees the rows of generations that nobody reads any more. */
    public Uni<Void> dropUnused(SqlClient db) {
        String unused = "(select id from generations where state in ('RETIRED', 'FAILED'))";
        return db.query("delete from view_events where generation in " + unused).execute()
                .chain(() -> db.query("delete from order_documents where generation in " + unused).execute())
                .chain(() -> db.query("delete from customer_summaries where generation in " + unused).execute())
                .chain(() -> db.query("delete from status_counts where generation in " + unused).execute())
                .chain(() -> db.query("delete from product_sales where generation in " + unused).execute())
                .chain(() -> db.query("delete from totals where generation in " + unused).execute())
                .replaceWithVoid();
    }

    // ---- JSON ----

    static String write(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName(), e);
        }
    }
}
