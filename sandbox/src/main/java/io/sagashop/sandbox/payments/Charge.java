package io.sagashop.sandbox.payments;

import java.math.BigDecimal;

/**
 * An approved charge in the provider's books.
 *
 * @param refunded everything given back so far, by refunds and by a void
 * @param sequence arrival order, so the ledger lists charges in the order they were made
 */
public record Charge(String chargeId, String idempotencyKey, String orderId, BigDecimal amount, BigDecimal refunded,
                     long sequence) {

    public BigDecimal refundable() {
        return amount.subtract(refunded);
    }

    Charge plusRefunded(BigDecimal more) {
        return new Charge(chargeId, idempotencyKey, orderId, amount, refunded.add(more), sequence);
    }
}
