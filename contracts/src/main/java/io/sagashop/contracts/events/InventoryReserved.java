package io.sagashop.contracts.events;

import java.math.BigDecimal;
import java.util.List;

/** Every line was reserved, all or nothing. */
public record InventoryReserved(List<PricedLine> lines, BigDecimal total) implements SagaEvent {
}
