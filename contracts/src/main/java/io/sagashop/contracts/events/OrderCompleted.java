package io.sagashop.contracts.events;

public record OrderCompleted(String carrier, String trackingNumber) implements SagaEvent {
}
