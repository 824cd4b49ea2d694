package io.sagashop.payment.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Payment's state of one order. The charge needs the token (OrderPlaced) and the total (InventoryReserved), which
 * arrive on two topics in either order: each is kept as it comes, and whichever completes the pair makes the payment
 * {@link #readyToCharge()}. Immutable; each transition returns the next state.
 *
 * @param sealedToken the token as OrderPlaced carries it (sealed; opened only to call the provider)
 * @param amount      the total to charge, once known
 */
public record Payment(String orderId, PaymentStatus status, String sealedToken, BigDecimal amount, BigDecimal captured,
                      BigDecimal refunded, String chargeId, String providerReference, String failure, Instant deadline,
                      String customerId) {

    /** What a cancellation (or a failed shipment) asks of this payment. */
    public enum Compensation {
        /** Give back what was captured. */
        REFUND_CAPTURED,
        /** Nothing was charged yet: make sure nothing will be. */
        CANCEL_BEFORE_CHARGE,
        /** Already refunded: a repeated request (a re-driven compensation) is confirmed again. */
        CONFIRM_AGAIN,
        /** Declined, failed or cancelled: nothing to give back. */
        NOTHING
    }

    public static Payment pending(String orderId) {
        return new Payment(orderId, PaymentStatus.PENDING, null, null, BigDecimal.ZERO, BigDecimal.ZERO, null, null, null,
                null, null);
    }

    /** OrderPlaced: how the order pays, its deadline and its customer; kept once (a redelivery changes nothing). */
    public Payment withOrder(String sealedToken, Instant deadline, String customerId) {
        return this.sealedToken != null ? this
                : new Payment(orderId, status, sealedToken, amount, captured, refunded, chargeId, providerReference, failure,
                deadline, customerId);
    }

    /** InventoryReserved: the total to charge; only while nothing was attempted. */
    public Payment withTotal(BigDecimal total) {
        return status != PaymentStatus.PENDING ? this
                : new Payment(orderId, status, sealedToken, total, captured, refunded, chargeId, providerReference, failure,
                deadline, customerId);
    }

    public boolean readyToCharge() {
        return status == PaymentStatus.PENDING && sealedToken != null && amount != null;
    }

    /**
     * Whether the order's deadline has passed: it is being cancelled, so a charge now would only be refunded. Under a
     * backlog (after an outage) skipping such charges leaves the capacity to orders that can still complete.
     */
    public boolean pastDeadline(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }

    public Payment captured(String chargeId, BigDecimal capturedAmount) {
        return attempt(PaymentStatus.CAPTURED, capturedAmount, chargeId, null);
    }

    public Payment declined(String reason) {
        return attempt(PaymentStatus.DECLINED, BigDecimal.ZERO, null, reason);
    }

    /** The provider stayed unavailable until shortly before the deadline (and the attempt was voided). */
    public Payment failed(String reason) {
        return attempt(PaymentStatus.FAILED, BigDecimal.ZERO, null, reason);
    }

    public Compensation compensation() {
        return switch (status) {
            case CAPTURED -> Compensation.REFUND_CAPTURED;
            case PENDING -> Compensation.CANCEL_BEFORE_CHARGE;
            case REFUNDED -> Compensation.CONFIRM_AGAIN;
            default -> Compensation.NOTHING;
        };
    }

    /** Everything captured given back. */
    public Payment fullyRefunded() {
        return new Payment(orderId, PaymentStatus.REFUNDED, sealedToken, amount, captured, captured, chargeId,
                providerReference, null, deadline, customerId);
    }

    /** Cancelled before any attempt: a tombstone, so a total that arrives later charges nothing. */
    public Payment cancelled() {
        return new Payment(orderId, PaymentStatus.CANCELLED, sealedToken, null, BigDecimal.ZERO, BigDecimal.ZERO, null,
                null, null, deadline, customerId);
    }

    private Payment attempt(PaymentStatus outcome, BigDecimal capturedAmount, String chargeId, String reason) {
        return new Payment(orderId, outcome, sealedToken, amount, capturedAmount, BigDecimal.ZERO, chargeId, chargeId,
                reason, deadline, customerId);
    }
}
