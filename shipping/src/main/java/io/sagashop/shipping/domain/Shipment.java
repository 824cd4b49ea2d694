package io.sagashop.shipping.domain;

import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.ShippingAddress;

import java.time.Instant;
import java.util.List;

/**
 * Shipping's state of one order. Booking needs the address (OrderPlaced) and the payment (PaymentCaptured), which
 * arrive on two topics in either order: each is kept as it comes, and whichever completes the pair makes the shipment
 * {@link #readyToBook()}. Immutable; each transition returns the next state.
 */
public record Shipment(String orderId, ShipmentStatus status, ShippingAddress address, List<OrderLine> items,
                       String shipmentId, String carrier, String trackingNumber, String failure, boolean paid,
                       Instant deadline, String customerId) {

    /** What a cancellation asks of this shipment. */
    public enum Compensation {
        /** Booked: cancel the booking at the carrier. */
        CANCEL_BOOKING,
        /**
         * Not booked as far as we know: an attempt whose answer never came (a timeout, a crash before the commit) may
         * have booked, so cancel by its key at the carrier (a cancelled key can never book afterwards).
         */
        CANCEL_BY_KEY,
        /** Already cancelled: confirm again. */
        CONFIRM_AGAIN
    }

    public static Shipment pending(String orderId) {
        return new Shipment(orderId, ShipmentStatus.PENDING, null, null, null, null, null, null, false, null, null);
    }

    /** OrderPlaced: where and what to ship, the deadline and the customer; kept once (a redelivery changes nothing). */
    public Shipment withOrder(ShippingAddress address, List<OrderLine> items, Instant deadline, String customerId) {
        return this.address != null ? this
                : new Shipment(orderId, status, address, List.copyOf(items), shipmentId, carrier, trackingNumber, failure,
                paid, deadline, customerId);
    }

    /** PaymentCaptured: the order may ship. */
    public Shipment withPayment() {
        return new Shipment(orderId, status, address, items, shipmentId, carrier, trackingNumber, failure, true, deadline,
                customerId);
    }

    /**
     * Whether the order's deadline has passed: it is being cancelled, so a booking now would only be cancelled. Under a
     * backlog (after an outage) skipping such bookings leaves the capacity to orders that can still complete.
     */
    public boolean pastDeadline(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }

    public boolean readyToBook() {
        return status == ShipmentStatus.PENDING && paid && address != null;
    }

    public Shipment scheduled(String shipmentId, String carrier, String trackingNumber) {
        return new Shipment(orderId, ShipmentStatus.SCHEDULED, address, items, shipmentId, carrier, trackingNumber, null,
                paid, deadline, customerId);
    }

    public Shipment failed(String reason) {
        return new Shipment(orderId, ShipmentStatus.FAILED, address, items, null, null, null, reason, paid, deadline,
                customerId);
    }

    public Compensation compensation() {
        return switch (status) {
            case SCHEDULED -> Compensation.CANCEL_BOOKING;
            case PENDING, FAILED -> Compensation.CANCEL_BY_KEY;
            case CANCELLED -> Compensation.CONFIRM_AGAIN;
        };
    }

    /**
     * After the carrier confirmed the compensation: a booking keeps what it was; a pending shipment becomes a tombstone;
     * a failed one stays FAILED.
     */
    public Shipment cancelled() {
        return switch (status) {
            case SCHEDULED -> new Shipment(orderId, ShipmentStatus.CANCELLED, address, items, shipmentId, carrier,
                    trackingNumber, "cancelled", paid, deadline, customerId);
            case PENDING -> new Shipment(orderId, ShipmentStatus.CANCELLED, address, items, null, null, null,
                    "cancelled before booking", paid, deadline, customerId);
            case FAILED, CANCELLED -> this;
        };
    }

    /** Whether the API shows it: something was attempted with the carrier (a tombstone was not). */
    public boolean attempted() {
        return status == ShipmentStatus.SCHEDULED || status == ShipmentStatus.FAILED
                || (status == ShipmentStatus.CANCELLED && shipmentId != null);
    }
}
