package io.sagashop.shipping.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.ShippingAddress;
import io.sagashop.platform.store.OrderRow;
import io.sagashop.shipping.domain.Shipment;
import io.sagashop.shipping.domain.ShipmentStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;

/** The shipments table: one row per order, a {@link Shipment}. */
@ApplicationScoped
public class ShipmentStore {

    /** Locks the order's shipment; creates a PENDING one when the order was not seen yet. */
    public Uni<Shipment> lock(SqlConnection tx, String orderId) {
        return OrderRow.createAndLock(tx, "insert into shipments (order_id, status) values ($1, 'PENDING') on conflict do nothing",
                        "select * from shipments where order_id = $1 for update", orderId)
                .map(ShipmentStore::shipment);
    }

    /** Writes the shipment the caller holds locked. */
    public Uni<Void> save(SqlConnection tx, Shipment s) {
        return tx.preparedQuery("""
                        update shipments set status = $2, address = $3, items = $4, shipment_id = $5, carrier = $6,
                          tracking_number = $7, failure = $8, paid = $9, deadline = $10, customer_id = $11,
                          updated_at = now() where order_id = $1""")
                .execute(Tuple.from(new Object[]{s.orderId(), s.status().name(), s.address() == null ? null : json(s.address()),
                        s.items() == null ? null : json(s.items()), s.shipmentId(), s.carrier(), s.trackingNumber(),
                        s.failure(), s.paid(), s.deadline() == null ? null : s.deadline().atOffset(ZoneOffset.UTC),
                        s.customerId()}))
                .replaceWithVoid();
    }

    public Uni<Shipment> find(SqlClient db, String orderId) {
        return db.preparedQuery("select * from shipments where order_id = $1").execute(Tuple.of(orderId))
                .map(rows -> rows.rowCount() == 0 ? null : shipment(rows.iterator().next()));
    }

    private static Shipment shipment(Row r) {
        return new Shipment(r.getString("order_id"), ShipmentStatus.valueOf(r.getString("status")),
                read(r.getString("address"), new TypeReference<ShippingAddress>() {
                }),
                read(r.getString("items"), new TypeReference<List<OrderLine>>() {
                }),
                r.getString("shipment_id"), r.getString("carrier"), r.getString("tracking_number"), r.getString("failure"),
                r.getBoolean("paid"),
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
