package io.sagashop.payment.store;

import io.sagashop.platform.store.OrderRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;

/** SQL for the payments table. */
@ApplicationScoped
public class PaymentStore {

    public record PaymentRow(String orderId, String status, String token, BigDecimal amount, BigDecimal captured,
                             BigDecimal refunded, String chargeId, String providerReference, Instant deadline,
                             String customerId) {
    }

    /** Records how the order pays, its deadline and its customer (from OrderPlaced), in the row the caller holds locked. */
    public Uni<Void> setToken(SqlConnection tx, String orderId, String token, Instant deadline, String customerId) {
        return tx.preparedQuery("update payments set token = $2, deadline = $3, customer_id = $4 where order_id = $1 and token is null")
                .execute(Tuple.of(orderId, token, deadline == null ? null : deadline.atOffset(ZoneOffset.UTC), customerId)).replaceWithVoid();
    }

    /** Records the total to charge once the order's token is known (InventoryReserved came before OrderPlaced). */
    public Uni<Void> awaitOrder(SqlConnection tx, String orderId, BigDecimal total) {
        return tx.preparedQuery("update payments set amount = $2, updated_at = now() where order_id = $1 and status = 'PENDING'")
                .execute(Tuple.of(orderId, total)).replaceWithVoid();
    }

    /** Locks the order's row; creates a PENDING row without token when the order was not seen yet. */
    public Uni<PaymentRow> lock(SqlConnection tx, String orderId) {
        return OrderRow.createAndLock(tx, "insert into payments (order_id, status) values ($1, 'PENDING') on conflict do nothing",
                        "select * from payments where order_id = $1 for update", orderId)
                .map(PaymentStore::row);
    }

    public Uni<Void> update(SqlConnection tx, String orderId, String status, BigDecimal amount, BigDecimal captured,
                            BigDecimal refunded, String chargeId, String reference, String failure) {
        return tx.preparedQuery("""
                        update payments set status = $2, amount = $3, captured_amount = $4, refunded_amount = $5,
                          charge_id = $6, provider_reference = $7, failure = $8, updated_at = now() where order_id = $1""")
                .execute(Tuple.from(new Object[]{orderId, status, amount, captured, refunded, chargeId, reference, failure}))
                .replaceWithVoid();
    }

    public Uni<PaymentRow> find(SqlClient db, String orderId) {
        return db.preparedQuery("select * from payments where order_id = $1").execute(Tuple.of(orderId))
                .map(rows -> rows.rowCount() == 0 ? null : row(rows.iterator().next()));
    }

    private static PaymentRow row(Row r) {
        return new PaymentRow(r.getString("order_id"), r.getString("status"), r.getString("token"), r.getBigDecimal("amount"),
                r.getBigDecimal("captured_amount"), r.getBigDecimal("refunded_amount"), r.getString("charge_id"),
                r.getString("provider_reference"),
                r.getOffsetDateTime("deadline") == null ? null : r.getOffsetDateTime("deadline").toInstant(),
                r.getString("customer_id"));
    }
}
