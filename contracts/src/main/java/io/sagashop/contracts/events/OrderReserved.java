package io.sagashop.contracts.events;

import java.math.BigDecimal;
import java.util.List;

/** The order service saw its stock reserved; the lines are priced from the catalog. */
public record OrderReserved(List<PricedLine> lines, BigDecimal total) implements SagaEvent {
}
