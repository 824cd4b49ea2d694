package io.sagashop.shipping.provider;

/** The carrier answered 5xx (or not at all): worth a retry, counts against the circuit breaker. */
public class CarrierUnavailableException extends RuntimeException {
    public CarrierUnavailableException(String message) {
        super(message);
    }
}
