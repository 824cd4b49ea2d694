package io.sagashop.order.saga;

import io.sagashop.platform.config.SagaShopConfig;

import io.quarkus.scheduler.Scheduled;
import io.sagashop.platform.store.AdvisoryLock;
import io.vertx.mutiny.sqlclient.Pool;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cancels, with reason TIMEOUT, every order that is not terminal by its deadline; compensation follows as usual. A
 * cancellation whose compensations have not all confirmed a compensation window after the deadline is re-driven, and
 * how many orders are overdue that long is kept for the metric and the health check ({@code /q/health/group/sagas}).
 * With replicas, each job runs on one instance at a time (an advisory lock in the order database) and goes by the
 * database's clock; every instance keeps its own count.
 */
@ApplicationScoped
public class DeadlineSweeper {

    private static final Logger LOG = Logger.getLogger(DeadlineSweeper.class);
    /** The advisory locks of the two jobs (the outbox relay's is 0x5a6a5e0). */
    public static final long SWEEP_LOCK = 0x5a6a5e1L;
    public static final long REDRIVE_LOCK = 0x5a6a5e2L;

    private final OrderService orders;
    private final Pool pool;
    private final Duration compensationWindow;
    private final Duration lockIdleTimeout;
    private final AtomicLong stuck = new AtomicLong();

    DeadlineSweeper(OrderService orders, Pool pool, MeterRegistry metrics,
                    SagaShopConfig config) {
        this.orders = orders;
        this.pool = pool;
        this.compensationWindow = config.saga().compensationWindow();
        this.lockIdleTimeout = config.lock().idleTimeout();
        Gauge.builder("sagashop.saga.stuck", stuck, AtomicLong::get)
                .description("orders still not terminal a compensation window after their deadline").register(metrics);
    }

    /** Orders still not terminal a compensation window after their deadline, as of the last sweep. */
    public long stuck() {
        return stuck.get();
    }

    @Scheduled(every = "${sagashop.saga.redrive-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> redrive() {
        return orders.overdue(compensationWindow).invoke(stuck::set)
                .chain(() -> AdvisoryLock.runIfFree(pool, REDRIVE_LOCK, lockIdleTimeout, () -> orders.redriveStuck(compensationWindow, 200)))
                .invoke(n -> {
                    if (n != null && n > 0) {
                        LOG.warnf("%d cancellation(s) not confirmed %s after their deadline: compensation re-driven", n, compensationWindow);
                    }
                })
                .onFailure().invoke(e -> LOG.warn("re-drive failed; next run retries", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(every = "${sagashop.saga.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return AdvisoryLock.runIfFree(pool, SWEEP_LOCK, lockIdleTimeout, () -> orders.sweepDeadlines(200))
                .invoke(n -> {
                    if (n != null && n > 0) {
                        LOG.infof("deadline passed: %d order(s) cancelled with reason TIMEOUT", n);
                    }
                })
                .onFailure().invoke(e -> LOG.warn("deadline sweep failed; next run retries", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
