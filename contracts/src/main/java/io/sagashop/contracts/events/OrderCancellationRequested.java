package io.sagashop.contracts.events;

/**
 * Asks every participant to compensate what it did for the order (customer cancel, deadline, or a failed step).
 * Schema version 2 added {@code requestedBy}; version 1 events are upcast with {@link CancellationSource#of}.
 */
public record OrderCancellationRequested(FailureReason reason, CancellationSource requestedBy) implements SagaEvent {

    /** A request whose source follows from its reason, as every request so far. */
    public OrderCancellationRequested(FailureReason reason) {
        this(reason, CancellationSource.of(reason));
    }
}
