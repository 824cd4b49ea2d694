package io.sagashop.contracts.events;

/** Who asked for a cancellation. */
public enum CancellationSource {
    /** {@code POST /orders/{id}/cancel}. */
    CUSTOMER,
    /** The deadline sweeper: the order was not terminal in time. */
    DEADLINE,
    /** The saga itself: a participant's step failed. */
    SAGA;

    public static CancellationSource of(FailureReason reason) {
        return switch (reason) {
            case CUSTOMER_CANCELLED -> CUSTOMER;
            case TIMEOUT -> DEADLINE;
            default -> SAGA;
        };
    }
}
