package io.sagashop.inventory.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.inventory.domain.Product;
import io.sagashop.platform.store.OrderRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for products and reservations. Stock moves only through these statements. */
@ApplicationScoped
public class StockStore {

    private static final TypeReference<List<OrderLine>> LINES = new TypeReference<>() {
    };

    public record ReservationRow(String status, List<OrderLine> lines) {
    }

    /** Locks the order's reservation row, creating it (status NONE) if this is the first event of the order. */
    public Uni<ReservationRow> lockReservation(SqlConnection tx, String orderId) {
        return OrderRow.createAndLock(tx, "insert into reservations (order_id, status) values ($1, 'NONE') on conflict do nothing",
                        "select status, lines from reservations where order_id = $1 for update", orderId)
                .map(row -> new ReservationRow(row.getString("status"), readLines(row.getString("lines"))));
    }

    public Uni<Void> setReservation(SqlConnection tx, String orderId, String status, List<OrderLine> lines) {
        return tx.preparedQuery("update reservations set status = $2, lines = $3, updated_at = now() where order_id = $1")
                .execute(Tuple.of(orderId, status, writeLines(lines))).replaceWithVoid();
    }

    /** The named products that exist, locked in SKU order. */
    public Uni<Map<String, Product>> lockProducts(SqlConnection tx, List<String> skus) {
        return tx.preparedQuery("select * from products where sku = any($1) order by sku for update")
                .execute(Tuple.of(skus.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Product> found = new LinkedHashMap<>();
                    rows.forEach(r -> found.put(r.getString("sku"), product(r)));
                    return found;
                });
    }

    /** Moves quantities between available, reserved and sold, e.g. (-q, +q, 0) to reserve. */
    public Uni<Void> move(SqlConnection tx, Map<String, Integer> quantities, int availableSign, int reservedSign, int soldSign) {
        if (quantities.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        quantities.forEach((sku, q) -> batch.add(Tuple.of(sku, availableSign * q, reservedSign * q, soldSign * q)));
        return tx.preparedQuery("""
                        update products set available = available + $2, reserved = reserved + $3, sold = sold + $4,
                        updated_at = now() where sku = $1""")
                .executeBatch(batch).replaceWithVoid();
    }

    /** Creates the product or updates its name, price and available stock (received follows, to keep conservation). */
    public Uni<Product> upsert(SqlClient db, String sku, String name, BigDecimal price, int stock) {
        return db.preparedQuery("""
                        insert into products (sku, name, price, available, received) values ($1, $2, $3, $4, $4)
                        on conflict (sku) do update set name = excluded.name, price = excluded.price,
                          available = excluded.available,
                          received = products.received + (excluded.available - products.available), updated_at = now()
                        returning *""")
                .execute(Tuple.of(sku, name, price, stock))
                .map(rows -> product(rows.iterator().next()));
    }

    public Uni<Product> restock(SqlClient db, String sku, int quantity) {
        return db.preparedQuery("""
                        update products set available = available + $2, received = received + $2, updated_at = now()
                        where sku = $1 returning *""")
                .execute(Tuple.of(sku, quantity))
                .map(rows -> rows.rowCount() == 0 ? null : product(rows.iterator().next()));
    }

    public Uni<Product> find(SqlClient db, String sku) {
        return db.preparedQuery("select * from products where sku = $1").execute(Tuple.of(sku))
                .map(rows -> rows.rowCount() == 0 ? null : product(rows.iterator().next()));
    }

    public Uni<List<Product>> all(SqlClient db) {
        return db.query("select * from products order by sku").execute().map(rows -> {
            List<Product> products = new ArrayList<>();
            rows.forEach(r -> products.add(product(r)));
            return products;
        });
    }

    private static Product product(Row r) {
        return new Product(r.getString("sku"), r.getString("name"), r.getBigDecimal("price"), r.getInteger("available"),
                r.getInteger("reserved"), r.getInteger("sold"));
    }

    private static List<OrderLine> readLines(String json) {
        try {
            return EventCodec.mapper().readValue(json, LINES);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable reservation lines", e);
        }
    }

    private static String writeLines(List<OrderLine> lines) {
        try {
            return EventCodec.mapper().writeValueAsString(lines);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
