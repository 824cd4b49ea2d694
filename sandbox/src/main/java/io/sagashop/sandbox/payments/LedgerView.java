package io.sagashop.sandbox.payments;

import java.math.BigDecimal;
import java.util.List;

/**
 * The provider's own books for one order.
 *
 * @param charged  the sum of approved charges whose key was not voided
 * @param refunded the sum of everything given back, by refunds and by voids
 */
public record LedgerView(String orderId, BigDecimal charged, BigDecimal refunded, List<Entry> charges) {

    public record Entry(String chargeId, String idempotencyKey, BigDecimal amount, BigDecimal refunded, boolean voided) {
    }
}
