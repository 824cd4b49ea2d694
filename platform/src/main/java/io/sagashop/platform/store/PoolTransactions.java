package io.sagashop.platform.store;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Function;

/** Transactions on the reactive pool: for services that write only SQL (order, read model). */
@DefaultBean
@ApplicationScoped
public class PoolTransactions implements Transactions {

    private final Pool pool;

    PoolTransactions(Pool pool) {
        this.pool = pool;
    }

    @Override
    public <T> Uni<T> run(Function<SqlTransaction, Uni<T>> work) {
        return pool.withTransaction(connection -> work.apply(SqlTransaction.of(connection)));
    }
}
