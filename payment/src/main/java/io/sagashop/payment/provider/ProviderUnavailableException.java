package io.sagashop.payment.provider;

/** The provider answered 5xx (or not at all): worth a retry, counts against the circuit breaker. */
public class ProviderUnavailableException extends RuntimeException {
    public ProviderUnavailableException(String message) {
        super(message);
    }
}
