package io.sagashop.contracts.events;

public record ShipmentScheduled(String carrier, String trackingNumber) implements SagaEvent {
}
