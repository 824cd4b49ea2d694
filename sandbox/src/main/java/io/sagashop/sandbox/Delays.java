package io.sagashop.sandbox;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.function.Supplier;

/** Runs work after a delay without holding a thread while waiting. */
public final class Delays {

    private Delays() {
    }

    /**
     * Evaluates {@code work} once {@code delay} has passed. The work runs at the end of the delay, not at the start,
     * so whatever it decides sees the state of the world at answer time (a slow charge sees a void that arrived meanwhile).
     */
    public static <T> Uni<T> after(Duration delay, Supplier<T> work) {
        Uni<Duration> start = Uni.createFrom().item(delay);
        // Mutiny rejects a zero delay
        if (!delay.isZero() && !delay.isNegative()) {
            start = start.onItem().delayIt().by(delay);
        }
        return start.map(ignored -> work.get());
    }
}
