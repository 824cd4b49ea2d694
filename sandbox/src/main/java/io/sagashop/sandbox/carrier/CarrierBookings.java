package io.sagashop.sandbox.carrier;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The sandbox carrier's books and rules. Plain Java so the rules can be tested without Quarkus. */
public final class CarrierBookings {

    public static final String CARRIER = "SANDBOX-POST";
    public static final String UNSERVED_COUNTRY = "XX";
    private static final long TRACKING_NUMBER_BOUND = 1_000_000_000_000L;

    /**
     * Idempotency key to the answer given the first time, or {@link BookingResult.Cancelled} for a key cancelled before
     * it was used; a booking is stored by id only, so it is read fresh.
     */
    private final ConcurrentHashMap<String, BookingResult> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Shipment> byId = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    public BookingResult book(String idempotencyKey, String orderId, String country) {
        BookingResult first = byKey.computeIfAbsent(idempotencyKey, key -> {
            if (UNSERVED_COUNTRY.equalsIgnoreCase(country.trim())) {
                return new BookingResult.Rejected("carrier does not deliver to " + country.trim());
            }
            Shipment shipment = new Shipment("sh_" + UUID.randomUUID(), key, orderId, CARRIER, trackingNumber(),
                    ShipmentStatus.BOOKED, sequence.incrementAndGet());
            byId.put(shipment.shipmentId(), shipment);
            return new BookingResult.Booked(shipment);
        });
        if (first instanceof BookingResult.Booked booked) {
            // the booking may have been cancelled since; answer with its current status
            Shipment now = byId.get(booked.shipment().shipmentId());
            return now == null ? first : new BookingResult.Booked(now);
        }
        return first;
    }

    /**
     * Cancels whatever an idempotency key booked: its booking is cancelled, and a key not used yet is remembered as
     * cancelled so a later {@link #book} with it books nothing. A rejected key stays rejected. Repeating it is a no-op.
     *
     * @return the key's booking, now cancelled; empty when the key has no booking
     */
    public Optional<Shipment> cancelByKey(String idempotencyKey) {
        AtomicReference<Shipment> cancelled = new AtomicReference<>();
        // under the key's lock: a booking racing with this cancel either comes first and is cancelled, or never happens
        byKey.compute(idempotencyKey, (key, first) -> {
            if (first == null) {
                return new BookingResult.Cancelled();
            }
            if (first instanceof BookingResult.Booked booked) {
                cancel(booked.shipment().shipmentId()).ifPresent(cancelled::set);
            }
            return first;
        });
        return Optional.ofNullable(cancelled.get());
    }

    /** Cancels a booking; cancelling a cancelled booking is a no-op. Empty when the shipment is unknown. */
    public Optional<Shipment> cancel(String shipmentId) {
        return Optional.ofNullable(byId.computeIfPresent(shipmentId, (id, shipment) -> shipment.cancelled()));
    }

    public List<Shipment> shipments(String orderId) {
        return byId.values().stream()
                .filter(shipment -> shipment.orderId().equals(orderId))
                .sorted(Comparator.comparingLong(Shipment::sequence))
                .toList();
    }

    public void clear() {
        byKey.clear();
        byId.clear();
    }

    private static String trackingNumber() {
        return String.format("TRK%012d", ThreadLocalRandom.current().nextLong(TRACKING_NUMBER_BOUND));
    }
}
