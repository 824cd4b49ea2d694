package io.sagashop.payment.domain;

/**
 * PENDING: the order is known, nothing attempted yet; CANCELLED: cancelled before any attempt (a tombstone: nothing
 * will be charged later). CAPTURED, DECLINED, FAILED (the provider stayed unavailable until the deadline), REFUNDED.
 */
public enum PaymentStatus {
    PENDING, CAPTURED, DECLINED, FAILED, REFUNDED, CANCELLED;

    /** Whether a charge was attempted: the API shows only those. */
    public boolean attempted() {
        return this != PENDING && this != CANCELLED;
    }
}
