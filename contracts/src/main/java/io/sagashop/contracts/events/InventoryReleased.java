package io.sagashop.contracts.events;

import java.util.List;

/** Compensation confirmed: the reservation is gone. Empty lines when nothing had been reserved (a confirming no-op). */
public record InventoryReleased(List<OrderLine> lines) implements SagaEvent {
}
