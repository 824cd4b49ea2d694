package io.sagashop.shipping.domain;

/**
 * PENDING: known, nothing booked yet; SCHEDULED: booked with the carrier; FAILED: the carrier refused or stayed
 * unavailable until the deadline; CANCELLED: a booking cancelled with its order, or a tombstone when the order was
 * cancelled before booking (nothing is booked later).
 */
public enum ShipmentStatus {
    PENDING, SCHEDULED, FAILED, CANCELLED
}
