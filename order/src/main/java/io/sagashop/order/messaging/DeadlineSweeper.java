package io.sagashop.order.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagashop.order.OrderService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cancels, with reason TIMEOUT, every order that is not terminal by its deadline; compensation follows as usual. A
 * cancellation whose compensations have not all confirmed a compensation window after the deadline is re-driven, and
 * how many orders are overdue that long is kept for the metric and the health check ({@code /q/health/group/sagas}).
 */
@ApplicationScoped
public class DeadlineSweeper {

    private static final Logger LOG = Logger.getLogger(DeadlineSweeper.class);

    private final OrderService orders;
    private final Duration compensationWindow;
    private final AtomicLong stuck = new AtomicLong();

    DeadlineSweeper(OrderService orders, MeterRegistry metrics,
                    @ConfigProperty(name = "sagashop.saga.compensation-window", defaultValue = "30s") Duration compensationWindow) {
        this.orders = orders;
        this.compensationWindow = compensationWindow;
        Gauge.builder("sagashop.saga.stuck", stuck, AtomicLong::get)
                .description("orders still not terminal a compensation window after their deadline").register(metrics);
    }

    /** Orders still not terminal a compensation window after their deadline, as of the last sweep. */
    public long stuck() {
        return stuck.get();
    }

    @Scheduled(every = "${sagashop.saga.redrive-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> redrive() {
        return orders.overdue(compensationWindow).invoke(stuck::set)
                .chain(() -> orders.redriveStuck(compensationWindow, 200))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.warnf("%d cancellation(s) not confirmed %s after their deadline: compensation re-driven", n, compensationWindow);
                    }
                })
                .onFailure().invoke(e -> LOG.warn("re-drive failed; next run retries", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(every = "${sagashop.saga.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return orders.sweepDeadlines(200)
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("deadline passed: %d order(s) cancelled with reason TIMEOUT", n);
                    }
                })
                .onFailure().invoke(e -> LOG.warn("deadline sweep failed; next run retries", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
