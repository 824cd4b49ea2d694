package io.sagashop.contracts.events;

import java.math.BigDecimal;

/** Compensation confirmed. Amount 0 and no reference when nothing had been captured (a confirming no-op). */
public record PaymentRefunded(BigDecimal amount, String providerReference) implements SagaEvent {
}
