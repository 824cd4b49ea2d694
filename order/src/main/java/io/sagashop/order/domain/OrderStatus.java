package io.sagashop.order.domain;

public enum OrderStatus {
    PENDING, RESERVED, PAID, COMPLETED, CANCELLING, CANCELLED;

    public boolean terminal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
