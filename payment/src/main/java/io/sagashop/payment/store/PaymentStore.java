package io.sagashop.payment.store;

import io.sagashop.payment.domain.Payment;
import io.sagashop.payment.domain.PaymentStatus;
import io.sagashop.platform.store.OrderRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;

/** The payments table: one row per order, a {@link Payment}. */
@ApplicationScoped
public class PaymentStore {

    /** Locks the order's payment; creates a PENDING one when the order was not seen yet. */
    public Uni<Payment> lock(SqlConnection tx, String orderId) {
        return OrderRow.createAndLock(tx, "insert into payments (order_id, status) values ($1, 'PENDING') on conflict do nothing",
                        "select * from payments where order_id = $1 for update", orderId)
                .map(PaymentStore::payment);
    }

    /** Writes the payment the caller holds locked. */
    public Uni<Void> save(SqlConnection tx, Payment p) {
        return tx.preparedQuery("""
                        update payments set status = $2, sealed_token = $3, amount = $4, captured_amount = $5,
                          refunded_amount = $6, charge_id = $7, provider_reference = $8, failure = $9, deadline = $10,
                          customer_id = $11, updated_at = now() where order_id = $1""")
                .execute(Tuple.from(new Object[]{p.orderId(), p.status().name(), p.sealedToken(), p.amount(), p.captured(),
                        p.refunded(), p.chargeId(), p.providerReference(), p.failure(),
                        p.deadline() == null ? null : p.deadline().atOffset(ZoneOffset.UTC), p.customerId()}))
                .replaceWithVoid();
    }

    public Uni<Payment> find(SqlClient db, String orderId) {
        return db.preparedQuery("select * from payments where order_id = $1").execute(Tuple.of(orderId))
                .map(rows -> rows.rowCount() == 0 ? null : payment(rows.iterator().next()));
    }

    private static Payment payment(Row r) {
        return new Payment(r.getString("order_id"), PaymentStatus.valueOf(r.getString("status")), r.getString("sealed_token"),
                r.getBigDecimal("amount"), r.getBigDecimal("captured_amount"), r.getBigDecimal("refunded_amount"),
                r.getString("charge_id"), r.getString("provider_reference"), r.getString("failure"),
                r.getOffsetDateTime("deadline") == null ? null : r.getOffsetDateTime("deadline").toInstant(),
                r.getString("customer_id"));
    }
}
