package io.sagashop.sandbox.carrier;

/** What the carrier answers to a booking request. */
public sealed interface BookingResult {

    record Booked(Shipment shipment) implements BookingResult {
    }

    record Rejected(String reason) implements BookingResult {
    }
}
