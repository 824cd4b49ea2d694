package io.sagashop.sandbox.carrier;

/**
 * A booking in the carrier's books.
 *
 * @param sequence booking order, so listings come out in the order shipments were booked
 */
public record Shipment(String shipmentId, String idempotencyKey, String orderId, String carrier,
                       String trackingNumber, ShipmentStatus status, long sequence) {

    Shipment cancelled() {
        return new Shipment(shipmentId, idempotencyKey, orderId, carrier, trackingNumber, ShipmentStatus.CANCELLED,
                sequence);
    }
}
