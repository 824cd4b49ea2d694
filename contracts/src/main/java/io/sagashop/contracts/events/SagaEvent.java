package io.sagashop.contracts.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The payload of one saga event. Records are immutable; a field is only ever added, never renamed or removed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public sealed interface SagaEvent permits OrderPlaced, OrderReserved, OrderPaid, OrderCompleted,
        OrderCancellationRequested, OrderCancelled, InventoryReserved, InventoryRejected, InventoryReleased,
        PaymentCaptured, PaymentDeclined, PaymentFailed, PaymentRefunded, ShipmentScheduled, ShipmentFailed,
        ShipmentCancelled {
}
