package io.sagashop.shipping.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.ShippingAddress;
import io.sagashop.platform.store.OrderRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** SQL for the shipments table. */
@ApplicationScoped
public class ShipmentStore {

    public record ShipmentRow(String orderId, String status, ShippingAddress address, List<OrderLine> items,
                              String shipmentId, String carrier, String trackingNumber, boolean paid, Instant deadline,
                              String customerId) {
    }

    /**
     * Records where and what to ship, the order's deadline and its customer (from OrderPlaced), in the row the caller
     * holds locked.
     */
    public Uni<Void> remember(SqlConnection tx, String orderId, ShippingAddress address, List<OrderLine> items, Instant deadline,
                              String customerId) {
        return tx.preparedQuery("update shipments set address = $2, items = $3, deadline = $4, customer_id = $5 where order_id = $1 and address is null")
                .execute(Tuple.of(orderId, json(address), json(items), deadline == null ? null : deadline.atOffset(ZoneOffset.UTC), customerId))
                .replaceWithVoid();
    }

    /** Records that the order was paid, to book it once its address is known (PaymentCaptured came first). */
    public Uni<Void> markPaid(SqlConnection tx, String orderId) {
        return tx.preparedQuery("update shipments set paid = true, updated_at = now() where order_id = $1")
                .execute(Tuple.of(orderId)).replaceWithVoid();
    }

    /** Locks the order's row; creates a PENDING row without address when the order was not seen yet. */
    public Uni<ShipmentRow> lock(SqlConnection tx, String orderId) {
        return OrderRow.createAndLock(tx, "insert into shipments (order_id, status) values ($1, 'PENDING') on conflict do nothing",
                        "select * from shipments where order_id = $1 for update", orderId)
                .map(ShipmentStore::row);
    }

    public Uni<Void> update(SqlConnection tx, String orderId, String status, String shipmentId, String carrier,
                            String trackingNumber, String failure) {
        return tx.preparedQuery("""
                        update shipments set status = $2, shipment_id = $3, carrier = $4, tracking_number = $5, failure = $6,
                          updated_at = now() where order_id = $1""")
                .execute(Tuple.from(new Object[]{orderId, status, shipmentId, carrier, trackingNumber, failure}))
                .replaceWithVoid();
    }

    public Uni<ShipmentRow> find(SqlClient db, String orderId) {
        return db.preparedQuery("select * from shipments where order_id = $1").execute(Tuple.of(orderId))
                .map(rows -> rows.rowCount() == 0 ? null : row(rows.iterator().next()));
    }

    private static ShipmentRow row(Row r) {
        return new ShipmentRow(r.getString("order_id"), r.getString("status"),
                read(r.getString("address"), new TypeReference<ShippingAddress>() {
                }),
                read(r.getString("items"), new TypeReference<List<OrderLine>>() {
                }),
                r.getString("shipment_id"), r.getString("carrier"), r.getString("tracking_number"), r.getBoolean("paid"),
                r.getOffsetDateTime("deadline") == null ? null : r.getOffsetDateTime("deadline").toInstant(),
                r.getString("customer_id"));
    }

    private static String json(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable shipment column", e);
        }
    }
}
