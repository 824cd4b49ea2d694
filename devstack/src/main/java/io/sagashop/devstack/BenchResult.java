package io.sagashop.devstack;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * What {@code ./sagashop bench} measured, as written to {@code bench-report.json} (snake_case names).
 *
 * @param maxSustainedSagasPerS the highest step of the ramp that was sustained
 * @param referenceRate         half of it: the rate the latency and the costs are measured at
 * @param failedRequests        POST /orders that did not answer 202
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BenchResult(int maxSustainedSagasPerS, int referenceRate, Latency latencyMs, Limits limits, List<Bench.Step> steps,
                          Mix mix, long failedRequests, List<ProcessUsage> processes, Box box) {

    /** Latency at the reference rate, POST /orders sent to the order's terminal event, in milliseconds. */
    public record Latency(double p50, double p95, double p99, double max) {
    }

    /** The box's own limits, what one saga costs of them, and the bound on sagas/s that follows. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Limits(long pgCommitsPerS, long kafkaMsgsPerS, double commitsPerSaga, double kafkaMsgsPerSaga,
                         @JsonProperty("sagas_per_s_bound") long sagasPerSBound) {
    }

    /** The shares of orders meant to be declined and to fail at the carrier. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Mix(double declined, double shippingFailed) {
    }

    /**
     * A process of the stack: CPU seconds, memory (peak RSS; PostgreSQL: the sum of its processes' PSS) and time to
     * ready (null when not known).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProcessUsage(String name, double cpuS, double rssMb, Double startupS) {
    }

    /** The machine the bench ran on. */
    public record Box(int cpus, String java, String os) {
    }

    /** How much of the box's bound the saga reached, in percent. */
    public double shareOfBound() {
        return 100.0 * maxSustainedSagasPerS / Math.max(1, limits.sagasPerSBound());
    }
}
