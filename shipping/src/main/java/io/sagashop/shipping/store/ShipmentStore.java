package io.sagashop.shipping.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.ShippingAddress;
import io.sagashop.platform.panache.OrderRows;
import io.sagashop.platform.store.SqlTransaction;
import io.sagashop.shipping.domain.Shipment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.List;

/** The shipments table: one row per order, a {@link Shipment}, kept as a Panache entity in the caller's session. */
@ApplicationScoped
public class ShipmentStore {

    /** Locks the order's shipment; creates a PENDING one when the order was not seen yet. */
    public Uni<Shipment> lock(SqlTransaction tx, String orderId) {
        return OrderRows.createAndLock(tx, "insert into shipments (order_id, status) values ($1, 'PENDING') on conflict do nothing",
                        ShipmentEntity.class, orderId)
                .map(ShipmentStore::shipment);
    }

    /** Writes the shipment {@link #lock} locked (flushed when the transaction commits). */
    public Uni<Void> save(Shipment s) {
        return ShipmentEntity.<ShipmentEntity>findById(s.orderId()).invoke(e -> {
            e.status = s.status();
            e.address = s.address() == null ? null : json(s.address());
            e.items = s.items() == null ? null : json(s.items());
            e.shipmentId = s.shipmentId();
            e.carrier = s.carrier();
            e.trackingNumber = s.trackingNumber();
            e.failure = s.failure();
            e.paid = s.paid();
            e.deadline = s.deadline();
            e.customerId = s.customerId();
        }).replaceWithVoid();
    }

    public Uni<Shipment> find(String orderId) {
        return ShipmentEntity.<ShipmentEntity>findById(orderId).map(e -> e == null ? null : shipment(e));
    }

    private static Shipment shipment(ShipmentEntity e) {
        return new Shipment(e.orderId, e.status, read(e.address, new TypeReference<ShippingAddress>() {
        }), read(e.items, new TypeReference<List<OrderLine>>() {
        }), e.shipmentId, e.carrier, e.trackingNumber, e.failure, e.paid, e.deadline, e.customerId);
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
