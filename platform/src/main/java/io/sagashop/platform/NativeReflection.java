package io.sagashop.platform;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.*;

/**
 * The published language is read and written by {@code EventCodec}'s own Jackson mapper, which Quarkus does not see:
 * in a native executable its records need reflection registered explicitly (REST types Quarkus registers itself).
 */
@RegisterForReflection(targets = {EventEnvelope.class, OrderPlaced.class, OrderReserved.class, OrderPaid.class,
        OrderCompleted.class, OrderCancellationRequested.class, OrderCancelled.class, InventoryReserved.class,
        InventoryRejected.class, InventoryReleased.class, PaymentCaptured.class, PaymentDeclined.class,
        PaymentFailed.class, PaymentRefunded.class, ShipmentScheduled.class, ShipmentFailed.class,
        ShipmentCancelled.class, OrderLine.class, PricedLine.class, ShippingAddress.class, FailureReason.class,
        CancellationSource.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
