package io.sagashop.sandbox.payments;

import java.math.BigDecimal;

public record Refund(String refundId, String idempotencyKey, String chargeId, BigDecimal amount) {
}
