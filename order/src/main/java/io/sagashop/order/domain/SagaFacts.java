package io.sagashop.order.domain;

import io.sagashop.contracts.events.*;

/**
 * What the participants have reported about one order, whatever the order in which their topics delivered it.
 * The order service records every reply it consumes; the saga decides on the whole set, so a reply that overtakes
 * another (say PaymentCaptured before InventoryReserved) is kept, not lost or retried.
 */
public record SagaFacts(InventoryReserved reserved, InventoryRejected rejected, PaymentCaptured captured,
                        PaymentDeclined declined, PaymentFailed paymentFailed, ShipmentScheduled shipped,
                        ShipmentFailed shipmentFailed, boolean released, boolean refunded, boolean shipmentCancelled) {

    public static final SagaFacts NONE = new SagaFacts(null, null, null, null, null, null, null, false, false, false);

    /** Adds one participant reply; events the order does not follow change nothing. */
    public SagaFacts with(SagaEvent reply) {
        return new SagaFacts(
                reply instanceof InventoryReserved r ? r : reserved,
                reply instanceof InventoryRejected r ? r : rejected,
                reply instanceof PaymentCaptured r ? r : captured,
                reply instanceof PaymentDeclined r ? r : declined,
                reply instanceof PaymentFailed r ? r : paymentFailed,
                reply instanceof ShipmentScheduled r ? r : shipped,
                reply instanceof ShipmentFailed r ? r : shipmentFailed,
                released || reply instanceof InventoryReleased,
                refunded || reply instanceof PaymentRefunded,
                shipmentCancelled || reply instanceof ShipmentCancelled);
    }

    /** Every participant confirmed it undid (or never did) its part. */
    public boolean fullyCompensated() {
        return released && refunded && shipmentCancelled;
    }
}
