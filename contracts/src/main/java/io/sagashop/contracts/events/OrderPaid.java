package io.sagashop.contracts.events;

import java.math.BigDecimal;

public record OrderPaid(BigDecimal amount, String providerReference) implements SagaEvent {
}
