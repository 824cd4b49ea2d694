package io.sagashop.platform.panache;

import io.sagashop.platform.store.Sql;
import io.sagashop.platform.store.SqlTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.TypeArg;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;
import org.hibernate.reactive.pool.impl.SqlClientConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a Hibernate Reactive session's transaction: the inbox and the event log are written on the session's own
 * connection, with the same {@code $n} statements and batches as on the pool, so a step still commits once.
 */
final class SessionTransaction implements SqlTransaction {

    private static final Logger LOG = Logger.getLogger(SessionTransaction.class);
    private static final TypeArg<Row> ROWS = new TypeArg<>(row -> Row.newInstance((io.vertx.sqlclient.Row) row), Row::getDelegate);

    private final SqlClientConnection connection;
    private final List<Runnable> onCommit = new ArrayList<>();

    SessionTransaction(Mutiny.Session session) {
        ReactiveConnection reactive = ((MutinySessionImpl) session).getReactiveConnection();
        if (!(reactive instanceof SqlClientConnection sql)) {
            // Hibernate wraps the connection when JDBC batching is on (SessionTransactions refuses to start so).
            throw new IllegalStateException("the session's connection is a " + reactive.getClass().getName()
                    + ", not the client's: keep quarkus.hibernate-orm.jdbc.statement-batch-size unset or 1");
        }
        this.connection = sql;
    }

    @Override
    public Statement preparedQuery(String sql) {
        return new Statement() {
            @Override
            public Uni<RowSet<Row>> execute(Tuple arguments) {
                return Uni.createFrom().completionStage(() -> connection.preparedQuery(sql, arguments.getDelegate()))
                        .map(SessionTransaction::rows);
            }

            @Override
            public Uni<RowSet<Row>> executeBatch(List<Tuple> batch) {
                return Uni.createFrom().completionStage(() -> connection.preparedQueryBatch(sql, batch.stream().map(Tuple::getDelegate).toList()))
                        .map(SessionTransaction::rows);
            }
        };
    }

    /** The client's result as the Mutiny API's, whose rows are Mutiny rows too. */
    private static RowSet<Row> rows(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows) {
        return RowSet.newInstance(rows, ROWS);
    }

    @Override
    public void onCommit(Runnable action) {
        onCommit.add(action);
    }

    /** Called once the session's transaction has committed: an action that fails is logged, the step stays done. */
    void committed() {
        for (Runnable action : onCommit) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("an action after a commit failed", e);
            }
        }
    }
}
