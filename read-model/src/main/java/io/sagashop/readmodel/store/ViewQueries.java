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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading the read model: documents, pages of them, customer summaries and statistics, always of the LIVE generation. */
@ApplicationScoped
public class ViewQueries {

    /** Reads always go to the LIVE generation, resolved in the same statement (a swap is atomic for readers). */
    public static final String LIVE = "(select id from generations where state = 'LIVE')";

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
            params.add(StoredJson.write(filter));
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
}
