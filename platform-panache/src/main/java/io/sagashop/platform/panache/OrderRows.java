package io.sagashop.platform.panache;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.sagashop.platform.store.SqlTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.persistence.LockModeType;

/** A participant's one row per order, which its steps lock before they decide. */
public final class OrderRows {

    private OrderRows() {
    }

    /**
     * Creates the order's row if it is missing ({@code insert} with {@code $1} the order id, {@code on conflict do
     * nothing}: two first events of one order meet at the lock instead of colliding), then loads it as an entity,
     * locked until the step's transaction ends.
     */
    public static <E> Uni<E> createAndLock(SqlTransaction tx, String insert, Class<E> entity, String orderId) {
        return tx.preparedQuery(insert).execute(Tuple.of(orderId))
                .chain(Panache::getSession)
                .chain(session -> session.find(entity, orderId, LockModeType.PESSIMISTIC_WRITE));
    }
}
