package io.sagashop.platform.messaging;

import java.time.Duration;
import java.time.Instant;

/**
 * Thrown by a step that cannot finish now but will later, e.g. a provider that is unavailable before the order's
 * deadline: the transaction rolls back and the record is tried again with backoff. Never dead-lettered.
 */
public final class RetryLater extends RuntimeException {

    public RetryLater(String reason) {
        super(reason, null, false, false);
    }

    /**
     * Whether an unavailable provider is still worth waiting for: until {@code margin} before the order's deadline
     * (unknown: no), so that the order ends with the provider's failure rather than a TIMEOUT, and what the last
     * attempt may have done at the provider is resolved before the deadline.
     */
    public static boolean worthWaiting(Instant deadline, Duration margin, Instant now) {
        return deadline != null && now.isBefore(deadline.minus(margin));
    }
}
