package io.sagashop.payment.provider;

/** The provider said no (402): a business answer, never retried, not a fault of the provider. */
public class ChargeDeclinedException extends RuntimeException {
    public ChargeDeclinedException(String reason) {
        super(reason);
    }
}
