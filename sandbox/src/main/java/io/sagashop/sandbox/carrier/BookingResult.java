package io.sagashop.sandbox.carrier;

/** What the carrier answers to a booking request. */
public sealed interface BookingResult {

    record Booked(Shipment shipment) implements BookingResult {
    }

    record Rejected(String reason) implements BookingResult {
    }

    /** The idempotency key was cancelled before anything was booked with it; the carrier will never book it. */
    record Cancelled() implements BookingResult {
    }
}
