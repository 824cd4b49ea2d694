package io.sagashop.contracts.events;

/**
 * Shipping's answer to {@link OrderCancellationRequested}: a booked shipment was cancelled with the carrier, or
 * (trackingNumber null) there was none and none will be booked. Added to the choreography so that an order is
 * CANCELLED only when no shipment can still go out.
 */
public record ShipmentCancelled(String trackingNumber) implements SagaEvent {
}
