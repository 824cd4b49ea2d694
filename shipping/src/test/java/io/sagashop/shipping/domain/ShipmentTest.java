package io.sagashop.shipping.domain;

import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.ShippingAddress;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Shipping's decisions, without Quarkus, a database or a carrier. */
class ShipmentTest {

    private static final ShippingAddress ADDRESS = new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "DE");
    private static final List<OrderLine> ITEMS = List.of(new OrderLine("MUG", 1));
    private static final Instant DEADLINE = Instant.parse("2026-12-01T10:00:30Z");

    @Test
    void fromItsDeadlineOnAnOrderIsPastItAndWithoutOneNever() {
        Shipment s = Shipment.pending("o-1").withOrder(ADDRESS, ITEMS, DEADLINE, "c-1");
        assertFalse(s.pastDeadline(DEADLINE.minusMillis(1)));
        assertTrue(s.pastDeadline(DEADLINE));
        assertTrue(s.pastDeadline(DEADLINE.plusSeconds(60)));
        assertFalse(Shipment.pending("o-2").pastDeadline(DEADLINE), "an order not yet known has no deadline here");
    }

    @Test
    void addressAndPaymentMayComeInEitherOrderAndTheSecondMakesItReadyToBook() {
        Shipment addressFirst = Shipment.pending("o-1").withOrder(ADDRESS, ITEMS, DEADLINE, "c-1");
        Shipment paidFirst = Shipment.pending("o-1").withPayment();

        assertFalse(addressFirst.readyToBook());
        assertFalse(paidFirst.readyToBook());
        assertTrue(addressFirst.withPayment().readyToBook());
        assertTrue(paidFirst.withOrder(ADDRESS, ITEMS, DEADLINE, "c-1").readyToBook());
        assertEquals(addressFirst.withPayment(), paidFirst.withOrder(ADDRESS, ITEMS, DEADLINE, "c-1"));
    }

    @Test
    void theOrderIsKeptOnce() {
        Shipment known = Shipment.pending("o-1").withOrder(ADDRESS, ITEMS, DEADLINE, "c-1");
        assertSame(known, known.withOrder(new ShippingAddress("Bob", "2 High St", "Shelbyville", "54321", "FR"), ITEMS,
                DEADLINE, "c-2"));
    }

    @Test
    void aBookingIsCancelledAtTheCarrierAndKeepsWhatItWas() {
        Shipment scheduled = Shipment.pending("o-1").withOrder(ADDRESS, ITEMS, DEADLINE, "c-1").withPayment()
                .scheduled("sh_1", "SandboxCarrier", "TRK1");
        assertFalse(scheduled.readyToBook());
        assertTrue(scheduled.attempted());
        assertEquals(Shipment.Compensation.CANCEL_BOOKING, scheduled.compensation());

        Shipment cancelled = scheduled.cancelled();
        assertEquals(ShipmentStatus.CANCELLED, cancelled.status());
        assertEquals("sh_1", cancelled.shipmentId());
        assertEquals("TRK1", cancelled.trackingNumber());
        assertTrue(cancelled.attempted());
        assertEquals(Shipment.Compensation.CONFIRM_AGAIN, cancelled.compensation());
        assertSame(cancelled, cancelled.cancelled());
    }

    @Test
    void whatIsNotBookedAsFarAsWeKnowIsCancelledByItsKey() {
        Shipment pending = Shipment.pending("o-1").withOrder(ADDRESS, ITEMS, DEADLINE, "c-1");
        assertEquals(Shipment.Compensation.CANCEL_BY_KEY, pending.compensation());
        Shipment tombstone = pending.cancelled();
        assertEquals(ShipmentStatus.CANCELLED, tombstone.status());
        assertFalse(tombstone.attempted(), "a tombstone is not shown");
        assertFalse(tombstone.withPayment().readyToBook(), "and never books");

        Shipment failed = pending.withPayment().failed("address rejected");
        assertEquals(Shipment.Compensation.CANCEL_BY_KEY, failed.compensation(), "a timed-out booking may exist");
        assertSame(failed, failed.cancelled());
        assertEquals(ShipmentStatus.FAILED, failed.status());
        assertTrue(failed.attempted());
    }
}
