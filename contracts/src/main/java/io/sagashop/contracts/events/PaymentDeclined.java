package io.sagashop.contracts.events;

/** The provider said no (a business answer, not a fault). */
public record PaymentDeclined(String reason) implements SagaEvent {
}
