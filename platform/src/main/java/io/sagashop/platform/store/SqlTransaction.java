package io.sagashop.platform.store;

import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The SQL of one open database transaction, whoever opened it: the reactive pool ({@link PoolTransactions}) or a
 * Hibernate Reactive session (the participants, whose own state is Panache entities). A saga step writes its inbox
 * row, its state and its events through the same transaction, so it commits once.
 */
public interface SqlTransaction extends Sql {

    /** Runs {@code action} once this transaction has committed (never if it rolls back). */
    void onCommit(Runnable action);

    /** The transaction begun on {@code connection}; the caller commits it. */
    static SqlTransaction of(SqlConnection connection) {
        Sql sql = Sql.of(connection);
        return new SqlTransaction() {
            @Override
            public Statement preparedQuery(String statement) {
                return sql.preparedQuery(statement);
            }

            @Override
            public void onCommit(Runnable action) {
                connection.transaction().completion().subscribe().with(committed -> action.run(), rolledBack -> {
                });
            }
        };
    }
}
