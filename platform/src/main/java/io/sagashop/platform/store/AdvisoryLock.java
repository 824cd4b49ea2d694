package io.sagashop.platform.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A PostgreSQL session advisory lock, held on a connection of its own, so that one process at a time among the replicas
 * sharing a database does a job (relay the outbox, sweep deadlines). The lock goes with its session: when the holder
 * dies, and when it hangs, since PostgreSQL ends a session that has been idle for {@code idleTimeout}
 * ({@code idle_session_timeout}); a live holder keeps using its connection, or gives the lock back when done.
 */
public final class AdvisoryLock {

    private static final String TAKE = """
            select mine, case when mine then set_config('idle_session_timeout', $2, false) end
            from (select pg_try_advisory_lock($1) as mine) t""";
    /** A pooled connection outlives close(): the lock and the timeout must go before it returns to the pool. */
    private static final String GIVE_BACK = "select pg_advisory_unlock_all(), set_config('idle_session_timeout', '0', false)";

    private AdvisoryLock() {
    }

    /** The connection now holding lock {@code key}; null while another session holds it. */
    public static Uni<SqlConnection> tryTake(Pool pool, long key, Duration idleTimeout) {
        return pool.getConnection().chain(connection -> connection.preparedQuery(TAKE)
                .execute(Tuple.of(key, String.valueOf(Math.max(1, idleTimeout.toMillis()))))
                .onFailure().call(connection::close)
                .chain(rows -> rows.iterator().next().getBoolean("mine")
                        ? Uni.createFrom().item(connection)
                        : connection.close().replaceWith((SqlConnection) null)));
    }

    /** Gives the lock back and the connection to the pool; never fails (a dead session has lost the lock already). */
    public static Uni<Void> release(SqlConnection connection) {
        if (connection == null) {
            return Uni.createFrom().voidItem();
        }
        return connection.query(GIVE_BACK).execute()
                .onItemOrFailure().transformToUni((ok, failure) -> connection.close())
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Runs {@code job} holding lock {@code key}, and gives the lock back after; when another session holds it the job
     * does not run and the result is null.
     */
    public static <T> Uni<T> runIfFree(Pool pool, long key, Duration idleTimeout, Supplier<Uni<T>> job) {
        return tryTake(pool, key, idleTimeout).chain(connection -> connection == null
                ? Uni.createFrom().<T>nullItem()
                : Uni.createFrom().<T>deferred(job::get).onTermination().call(() -> release(connection)));
    }
}
