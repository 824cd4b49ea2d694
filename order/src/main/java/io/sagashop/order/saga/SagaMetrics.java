package io.sagashop.order.saga;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sagashop.order.domain.OrderState;
import io.sagashop.order.domain.OrderStatus;
import io.sagashop.platform.store.SqlTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The saga's own metrics: sagas started, completed, cancelled by reason, and the end-to-end duration from
 * OrderPlaced to the terminal event. Recorded when the transaction that decided them commits, so a retried
 * (rolled-back) decision is never counted.
 */
@ApplicationScoped
public class SagaMetrics {

    private final MeterRegistry registry;
    private final Counter started;

    SagaMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.started = Counter.builder("sagashop.sagas.started").description("orders placed").register(registry);
        Counter.builder("sagashop.sagas.completed").description("orders COMPLETED").register(registry);
    }

    /** Called in the appending transaction: records the change from {@code before} to {@code after} on commit. */
    void onCommit(SqlTransaction tx, OrderState before, OrderState after) {
        boolean placed = !before.exists() && after.exists();
        boolean ended = after.status() != null && after.status().terminal()
                && (before.status() == null || !before.status().terminal());
        if (!placed && !ended) {
            return;
        }
        tx.onCommit(() -> {
            if (placed) {
                started.increment();
            }
            if (ended) {
                ended(after);
            }
        });
    }

    private void ended(OrderState order) {
        String outcome = order.status().name().toLowerCase(java.util.Locale.ROOT);
        if (order.status() == OrderStatus.COMPLETED) {
            registry.counter("sagashop.sagas.completed").increment();
        } else {
            Counter.builder("sagashop.sagas.cancelled").description("orders CANCELLED, by failure reason")
                    .tag("reason", String.valueOf(order.failureReason())).register(registry).increment();
        }
        Timer.builder("sagashop.saga.duration").description("OrderPlaced to COMPLETED or CANCELLED")
                .tag("outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(50)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(Duration.between(order.createdAt(), order.updatedAt()));
    }
}
