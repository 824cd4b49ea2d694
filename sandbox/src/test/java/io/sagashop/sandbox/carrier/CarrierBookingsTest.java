package io.sagashop.sandbox.carrier;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CarrierBookingsTest {

    private final CarrierBookings carrier = new CarrierBookings();

    @Test
    void booksAnyCountryButXX() {
        Shipment shipment = booked(carrier.book("k1", "o1", "DE"));

        assertTrue(shipment.shipmentId().startsWith("sh_"));
        assertTrue(shipment.trackingNumber().matches("TRK\\d{12}"), shipment.trackingNumber());
        assertEquals("SANDBOX-POST", shipment.carrier());
        assertEquals(ShipmentStatus.BOOKED, shipment.status());
        assertEquals("o1", shipment.orderId());
    }

    @Test
    void rejectsCountryXXAndBooksNothing() {
        BookingResult result = carrier.book("k1", "o1", "XX");

        assertEquals(new BookingResult.Rejected("carrier does not deliver to XX"), result);
        assertEquals(result, carrier.book("k1", "o1", "XX"));
        assertTrue(carrier.shipments("o1").isEmpty());
    }

    @Test
    void sameKeyReturnsTheSameBooking() {
        Shipment first = booked(carrier.book("k1", "o1", "DE"));
        Shipment again = booked(carrier.book("k1", "o1", "DE"));

        assertEquals(first, again);
        assertEquals(1, carrier.shipments("o1").size());
    }

    @Test
    void differentKeysMakeDifferentBookings() {
        Shipment a = booked(carrier.book("k1", "o1", "DE"));
        Shipment b = booked(carrier.book("k2", "o1", "DE"));

        assertNotEquals(a.shipmentId(), b.shipmentId());
        assertEquals(List.of(a.shipmentId(), b.shipmentId()),
                carrier.shipments("o1").stream().map(Shipment::shipmentId).toList());
    }

    @Test
    void cancelIsIdempotent() {
        Shipment shipment = booked(carrier.book("k1", "o1", "DE"));

        assertEquals(ShipmentStatus.CANCELLED, carrier.cancel(shipment.shipmentId()).orElseThrow().status());
        assertEquals(ShipmentStatus.CANCELLED, carrier.cancel(shipment.shipmentId()).orElseThrow().status());

        assertEquals(ShipmentStatus.CANCELLED, carrier.shipments("o1").get(0).status());
    }

    @Test
    void cancelOfAnUnknownShipmentFindsNothing() {
        assertTrue(carrier.cancel("sh_nope").isEmpty());
    }

    @Test
    void replayingACancelledBookingsKeyShowsItCancelled() {
        Shipment shipment = booked(carrier.book("k1", "o1", "DE"));
        carrier.cancel(shipment.shipmentId());

        Shipment replay = booked(carrier.book("k1", "o1", "DE"));

        assertEquals(shipment.shipmentId(), replay.shipmentId());
        assertEquals(ShipmentStatus.CANCELLED, replay.status());
    }

    @Test
    void cancelByKeyCancelsTheKeysBooking() {
        Shipment shipment = booked(carrier.book("k1", "o1", "DE"));

        Shipment cancelled = carrier.cancelByKey("k1").orElseThrow();

        assertEquals(shipment.shipmentId(), cancelled.shipmentId());
        assertEquals(ShipmentStatus.CANCELLED, cancelled.status());
        assertEquals(List.of(cancelled), carrier.shipments("o1"));
        assertEquals(cancelled, booked(carrier.book("k1", "o1", "DE")));
    }

    @Test
    void cancelByKeyBeforeBookingBlocksTheBooking() {
        assertTrue(carrier.cancelByKey("k1").isEmpty());

        assertEquals(new BookingResult.Cancelled(), carrier.book("k1", "o1", "DE"));
        assertEquals(new BookingResult.Cancelled(), carrier.book("k1", "o1", "DE"));
        assertTrue(carrier.shipments("o1").isEmpty());
        // another key still books
        booked(carrier.book("k2", "o1", "DE"));
    }

    @Test
    void cancelByKeyIsIdempotent() {
        Shipment shipment = booked(carrier.book("k1", "o1", "DE"));

        Optional<Shipment> first = carrier.cancelByKey("k1");
        assertEquals(first, carrier.cancelByKey("k1"));
        assertEquals(shipment.shipmentId(), first.orElseThrow().shipmentId());
        assertEquals(1, carrier.shipments("o1").size());

        assertTrue(carrier.cancelByKey("k2").isEmpty());
        assertTrue(carrier.cancelByKey("k2").isEmpty());
        assertEquals(new BookingResult.Cancelled(), carrier.book("k2", "o1", "DE"));
    }

    @Test
    void cancelByKeyLeavesARejectedKeyRejected() {
        BookingResult rejected = carrier.book("k1", "o1", "XX");

        assertTrue(carrier.cancelByKey("k1").isEmpty());
        assertTrue(carrier.cancelByKey("k1").isEmpty());

        assertEquals(rejected, carrier.book("k1", "o1", "XX"));
        assertTrue(carrier.shipments("o1").isEmpty());
    }

    @Test
    void listsOnlyTheOrdersShipments() {
        booked(carrier.book("k1", "o1", "DE"));
        booked(carrier.book("k2", "o2", "FR"));

        assertEquals(1, carrier.shipments("o1").size());
        assertTrue(carrier.shipments("o3").isEmpty());
    }

    @Test
    void clearForgetsEverything() {
        Shipment shipment = booked(carrier.book("k1", "o1", "DE"));
        carrier.cancelByKey("k2");

        carrier.clear();

        assertTrue(carrier.shipments("o1").isEmpty());
        assertTrue(carrier.cancel(shipment.shipmentId()).isEmpty());
        booked(carrier.book("k2", "o1", "DE"));
    }

    private static Shipment booked(BookingResult result) {
        return assertInstanceOf(BookingResult.Booked.class, result).shipment();
    }
}
