package io.sagashop.contracts.events;

public record ShipmentFailed(String reason) implements SagaEvent {
}
