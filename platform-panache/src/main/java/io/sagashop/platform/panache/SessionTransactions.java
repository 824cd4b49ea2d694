package io.sagashop.platform.panache;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.sagashop.platform.store.SqlTransaction;
import io.sagashop.platform.store.Transactions;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Transactions of a Hibernate Reactive session, for the participants: the step's Panache entities, its inbox row and
 * its events go through one session and commit together. Each transaction runs on a Vert.x context of its own, since
 * Panache keeps the current session on the context and a consumer runs several transactions at once.
 */
@Startup
@ApplicationScoped
public class SessionTransactions implements Transactions {

    private final Vertx vertx;

    /** Refuses to start with JDBC batching on: Hibernate would wrap the connection the steps' SQL must share. */
    SessionTransactions(Vertx vertx,
                        @ConfigProperty(name = "quarkus.hibernate-orm.jdbc.statement-batch-size", defaultValue = "1") int batchSize) {
        if (batchSize > 1) {
            throw new IllegalStateException("quarkus.hibernate-orm.jdbc.statement-batch-size is " + batchSize
                    + ": a saga step writes its inbox row and events on the session's own connection, which Hibernate wraps"
                    + " when batching; set it to 1 (platform-panache's default)");
        }
        this.vertx = vertx;
    }

    @Override
    public <T> Uni<T> run(Function<SqlTransaction, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = VertxContext.createNewDuplicatedContext(VertxContext.getRootContext(vertx.getOrCreateContext()));
            VertxContextSafetyToggle.setContextSafe(context, true);
            Executor onContext = task -> {
                if (Vertx.currentContext() == context) {
                    task.run();
                } else {
                    context.runOnContext(ignored -> task.run());
                }
            };
            SessionTransaction[] tx = new SessionTransaction[1];
            // A step's provider call may answer on another thread; the session is flushed and committed on its own.
            return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> {
                        tx[0] = new SessionTransaction(session);
                        return work.apply(tx[0]).emitOn(onContext);
                    })))
                    .invoke(() -> tx[0].committed())
                    .runSubscriptionOn(onContext);
        });
    }
}
