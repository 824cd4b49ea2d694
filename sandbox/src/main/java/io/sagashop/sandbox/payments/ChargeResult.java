package io.sagashop.sandbox.payments;

/** What the provider answers to a charge request. */
public sealed interface ChargeResult {

    record Approved(Charge charge) implements ChargeResult {
    }

    record Declined(String reason) implements ChargeResult {
    }

    /** The idempotency key was voided; the provider will never charge it. */
    record Voided() implements ChargeResult {
    }

    record Unavailable() implements ChargeResult {
    }
}
