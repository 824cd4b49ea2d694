package io.sagashop.order.health;

import io.sagashop.order.saga.DeadlineSweeper;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code /q/health/group/sagas}: DOWN while an order is still not terminal a compensation window after its deadline.
 * A group of its own, not readiness: a stuck saga is for an operator to look at, not a reason to stop serving.
 */
@HealthGroup("sagas")
@ApplicationScoped
public class StuckSagasCheck implements HealthCheck {

    private final DeadlineSweeper sweeper;

    StuckSagasCheck(DeadlineSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Override
    public HealthCheckResponse call() {
        long stuck = sweeper.stuck();
        return HealthCheckResponse.named("Sagas past their deadline").status(stuck == 0).withData("stuck", stuck).build();
    }
}
