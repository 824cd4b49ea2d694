package io.sagashop.platform.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.List;

/** Statements on the database: through the pool, or inside one transaction ({@link SqlTransaction}). */
public interface Sql {

    /** A statement with {@code $1, $2, …} parameters, as the Vert.x client takes it. */
    Statement preparedQuery(String sql);

    interface Statement {
        Uni<RowSet<Row>> execute(Tuple arguments);

        default Uni<RowSet<Row>> execute() {
            return execute(Tuple.tuple());
        }

        /** The statement once per tuple, in one round trip; one result per tuple, chained by {@link RowSet#next()}. */
        Uni<RowSet<Row>> executeBatch(List<Tuple> batch);
    }

    /** Statements on {@code client}: a pool (each statement on its own) or a connection. */
    static Sql of(SqlClient client) {
        return sql -> {
            var query = client.preparedQuery(sql);
            return new Statement() {
                @Override
                public Uni<RowSet<Row>> execute(Tuple arguments) {
                    return query.execute(arguments);
                }

                @Override
                public Uni<RowSet<Row>> executeBatch(List<Tuple> batch) {
                    return query.executeBatch(batch);
                }
            };
        };
    }
}
