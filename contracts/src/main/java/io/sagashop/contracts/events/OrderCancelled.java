package io.sagashop.contracts.events;

/** Terminal: every compensation the order needed has been confirmed. */
public record OrderCancelled(FailureReason reason) implements SagaEvent {
}
