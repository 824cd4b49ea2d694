package io.sagashop.inventory.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.inventory.domain.Product;
import io.sagashop.platform.panache.OrderRows;
import io.sagashop.platform.store.SqlTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Products and reservations, as Panache entities in the caller's session (see SessionTransactions): stock moves only
 * through {@link #move}, on rows locked in SKU order.
 */
@ApplicationScoped
public class StockStore {

    private static final TypeReference<List<OrderLine>> LINES = new TypeReference<>() {
    };

    public record ReservationRow(String status, List<OrderLine> lines) {
    }

    /** Locks the order's reservation row, creating it (status NONE) if this is the first event of the order. */
    public Uni<ReservationRow> lockReservation(SqlTransaction tx, String orderId) {
        return OrderRows.createAndLock(tx, "insert into reservations (order_id, status) values ($1, 'NONE') on conflict do nothing",
                        ReservationEntity.class, orderId)
                .map(r -> new ReservationRow(r.status, readLines(r.lines)));
    }

    /** Sets the reservation locked by {@link #lockReservation}. */
    public Uni<Void> setReservation(String orderId, String status, List<OrderLine> lines) {
        return ReservationEntity.<ReservationEntity>findById(orderId).invoke(r -> {
            r.status = status;
            r.lines = writeLines(lines);
        }).replaceWithVoid();
    }

    /** The named products that exist, locked in SKU order. */
    public Uni<Map<String, Product>> lockProducts(List<String> skus) {
        return ProductEntity.<ProductEntity>find("sku in ?1 order by sku", skus).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .map(products -> {
                    Map<String, Product> found = new LinkedHashMap<>();
                    products.forEach(p -> found.put(p.sku, p.toProduct()));
                    return found;
                });
    }

    /**
     * Moves quantities between available, reserved and sold, e.g. (-q, +q, 0) to reserve; locks each product in SKU
     * order first (a no-op for those {@link #lockProducts} locked).
     */
    public Uni<Void> move(Map<String, Integer> quantities, int availableSign, int reservedSign, int soldSign) {
        return Multi.createFrom().iterable(quantities.entrySet())
                .onItem().transformToUniAndConcatenate(q -> ProductEntity.<ProductEntity>findById(q.getKey(), LockModeType.PESSIMISTIC_WRITE)
                        .invoke(p -> p.move(q.getValue(), availableSign, reservedSign, soldSign)))
                .collect().last().replaceWithVoid();
    }

    /** Creates the product or updates its name, price and available stock (received follows, to keep conservation). */
    public Uni<Product> upsert(String sku, String name, BigDecimal price, int stock) {
        return ProductEntity.<ProductEntity>findById(sku, LockModeType.PESSIMISTIC_WRITE).chain(found -> {
            ProductEntity p = found != null ? found : new ProductEntity();
            if (found == null) {
                p.sku = sku;
            }
            p.received += stock - p.available;
            p.available = stock;
            p.name = name;
            p.price = price;
            return found != null ? Uni.createFrom().item(p) : p.<ProductEntity>persist();
        }).map(ProductEntity::toProduct);
    }

    public Uni<Product> restock(String sku, int quantity) {
        return ProductEntity.<ProductEntity>findById(sku, LockModeType.PESSIMISTIC_WRITE).map(p -> {
            if (p == null) {
                return null;
            }
            p.available += quantity;
            p.received += quantity;
            return p.toProduct();
        });
    }

    public Uni<Product> find(String sku) {
        return ProductEntity.<ProductEntity>findById(sku).map(p -> p == null ? null : p.toProduct());
    }

    public Uni<List<Product>> all() {
        return ProductEntity.<ProductEntity>listAll(io.quarkus.panache.common.Sort.by("sku"))
                .map(products -> products.stream().map(ProductEntity::toProduct).toList());
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
