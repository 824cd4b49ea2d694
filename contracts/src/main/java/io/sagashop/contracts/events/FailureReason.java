package io.sagashop.contracts.events;

/** Why an order was cancelled; the order's {@code failureReason}. */
public enum FailureReason {
    OUT_OF_STOCK, UNKNOWN_PRODUCT, PAYMENT_DECLINED, PAYMENT_UNAVAILABLE, SHIPPING_FAILED, CUSTOMER_CANCELLED, TIMEOUT
}
