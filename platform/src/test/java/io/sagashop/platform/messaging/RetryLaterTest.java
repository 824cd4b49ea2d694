package io.sagashop.platform.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unavailable provider is waited for until shortly before the order's deadline, never after. */
class RetryLaterTest {

    private static final Instant DEADLINE = Instant.parse("2026-01-01T12:00:30Z");
    private static final Duration MARGIN = Duration.ofSeconds(5);

    @Test
    void worthWaitingUntilTheMarginBeforeTheDeadline() {
        assertTrue(RetryLater.worthWaiting(DEADLINE, MARGIN, DEADLINE.minusSeconds(6)));
        assertFalse(RetryLater.worthWaiting(DEADLINE, MARGIN, DEADLINE.minusSeconds(5)));
        assertFalse(RetryLater.worthWaiting(DEADLINE, MARGIN, DEADLINE.plusSeconds(1)));
    }

    @Test
    void anOrderWithoutAKnownDeadlineIsNotWaitedFor() {
        assertFalse(RetryLater.worthWaiting(null, MARGIN, DEADLINE.minusSeconds(600)));
    }
}
