package io.sagashop.order.messaging;

import io.quarkus.scheduler.Scheduled;
import io.sagashop.order.OrderService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Cancels, with reason TIMEOUT, every order that is not terminal by its deadline; compensation follows as usual. */
@ApplicationScoped
public class DeadlineSweeper {

    private static final Logger LOG = Logger.getLogger(DeadlineSweeper.class);

    private final OrderService orders;

    DeadlineSweeper(OrderService orders) {
        this.orders = orders;
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
