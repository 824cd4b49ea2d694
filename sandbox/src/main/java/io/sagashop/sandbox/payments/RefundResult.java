package io.sagashop.sandbox.payments;

import java.math.BigDecimal;

/** What the provider answers to a refund request. */
public sealed interface RefundResult {

    record Refunded(Refund refund) implements RefundResult {
    }

    record UnknownCharge() implements RefundResult {
    }

    record ExceedsRefundable(BigDecimal refundable) implements RefundResult {
    }
}
