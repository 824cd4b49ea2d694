package io.sagashop.contracts.events;

/** Asks every participant to compensate what it did for the order (customer cancel or deadline). */
public record OrderCancellationRequested(FailureReason reason) implements SagaEvent {
}
