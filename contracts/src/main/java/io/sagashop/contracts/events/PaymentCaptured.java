package io.sagashop.contracts.events;

import java.math.BigDecimal;

public record PaymentCaptured(BigDecimal amount, String providerReference) implements SagaEvent {
}
