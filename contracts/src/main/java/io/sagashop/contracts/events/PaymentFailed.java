package io.sagashop.contracts.events;

/** The provider could not be reached or kept failing (timeout, retries exhausted, open circuit, full bulkhead). */
public record PaymentFailed(String reason) implements SagaEvent {
}
