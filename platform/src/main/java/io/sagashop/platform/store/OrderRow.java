package io.sagashop.platform.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** A participant's one row per order, which its steps lock before they decide. */
public final class OrderRow {

    private OrderRow() {
    }

    /**
     * Creates the order's row if it is missing ({@code insert} with {@code $1} the order id, on conflict do nothing),
     * then locks and reads it ({@code select ... where order_id = $1 for update}). The two statements go out pipelined,
     * one round trip: PostgreSQL runs them in the order sent, so the select sees the row either way.
     */
    public static Uni<Row> createAndLock(SqlConnection tx, String insert, String selectForUpdate, String orderId) {
        Tuple id = Tuple.of(orderId);
        return Uni.combine().all().unis(tx.preparedQuery(insert).execute(id), tx.preparedQuery(selectForUpdate).execute(id))
                .asTuple()
                .map(results -> results.getItem2().iterator().next());
    }
}
