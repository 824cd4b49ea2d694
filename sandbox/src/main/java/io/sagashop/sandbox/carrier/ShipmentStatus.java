package io.sagashop.sandbox.carrier;

public enum ShipmentStatus {
    BOOKED,
    CANCELLED
}
