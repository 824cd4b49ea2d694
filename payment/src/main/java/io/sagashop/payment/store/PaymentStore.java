package io.sagashop.payment.store;

import io.sagashop.payment.domain.Payment;
import io.sagashop.platform.panache.OrderRows;
import io.sagashop.platform.store.SqlTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The payments table: one row per order, a {@link Payment}, kept as a Panache entity in the caller's session. */
@ApplicationScoped
public class PaymentStore {

    /** Locks the order's payment; creates a PENDING one when the order was not seen yet. */
    public Uni<Payment> lock(SqlTransaction tx, String orderId) {
        return OrderRows.createAndLock(tx, "insert into payments (order_id, status) values ($1, 'PENDING') on conflict do nothing",
                        PaymentEntity.class, orderId)
                .map(PaymentEntity::toPayment);
    }

    /** Writes the payment {@link #lock} locked (flushed when the transaction commits). */
    public Uni<Void> save(Payment p) {
        return PaymentEntity.<PaymentEntity>findById(p.orderId()).invoke(e -> e.set(p)).replaceWithVoid();
    }

    public Uni<Payment> find(String orderId) {
        return PaymentEntity.<PaymentEntity>findById(orderId).map(e -> e == null ? null : e.toPayment());
    }
}
