package io.sagashop.shipping.provider;

/** The carrier refused the shipment (422): a business answer, never retried. */
public class ShipmentRejectedException extends RuntimeException {
    public ShipmentRejectedException(String reason) {
        super(reason);
    }
}
