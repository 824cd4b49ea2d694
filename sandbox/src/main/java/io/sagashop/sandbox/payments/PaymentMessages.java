package io.sagashop.sandbox.payments;

import io.sagashop.sandbox.Validation;

import java.math.BigDecimal;
import java.util.Optional;

/** The JSON bodies of the payment provider API. */
public final class PaymentMessages {

    private PaymentMessages() {
    }

    public record ChargeRequest(String idempotencyKey, String orderId, BigDecimal amount, String token) {

        Optional<String> problem() {
            if (Validation.blank(idempotencyKey)) {
                return Optional.of("idempotencyKey is required");
            }
            if (Validation.blank(orderId)) {
                return Optional.of("orderId is required");
            }
            if (!Validation.positive(amount)) {
                return Optional.of("amount must be greater than 0");
            }
            if (Validation.blank(token)) {
                return Optional.of("token is required");
            }
            return Optional.empty();
        }
    }

    public record ChargeApproved(String chargeId, String status, BigDecimal amount) {
    }

    /** A charge the provider refuses: {@code DECLINED} or {@code VOIDED}. */
    public record ChargeRefused(String status, String reason) {
    }

    public record VoidResponse(boolean voided, BigDecimal refundedAmount) {
    }

    public record RefundRequest(String idempotencyKey, String chargeId, BigDecimal amount) {

        Optional<String> problem() {
            if (Validation.blank(idempotencyKey)) {
                return Optional.of("idempotencyKey is required");
            }
            if (Validation.blank(chargeId)) {
                return Optional.of("chargeId is required");
            }
            if (!Validation.positive(amount)) {
                return Optional.of("amount must be greater than 0");
            }
            return Optional.empty();
        }
    }
}
