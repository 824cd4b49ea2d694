package io.sagashop.platform.messaging;

import java.time.Instant;

/**
 * Thrown by a step that cannot finish now but will later, e.g. a provider that is unavailable before the order's
 * deadline: the transaction rolls back and the record is tried again with backoff. Never dead-lettered.
 */
public final class RetryLater extends RuntimeException {

    public RetryLater(String reason) {
        super(reason, null, false, false);
    }

    /** Whether an unavailable provider is still worth waiting for: until the order's deadline (unknown: no). */
    public static boolean worthWaiting(Instant deadline, Instant now) {
        return deadline != null && now.isBefore(deadline);
    }
}
