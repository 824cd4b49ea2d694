package io.sagashop.sandbox.carrier;

import io.sagashop.sandbox.Validation;

import java.util.List;
import java.util.Optional;

/** The JSON bodies of the carrier API. */
public final class CarrierMessages {

    private CarrierMessages() {
    }

    public record Address(String name, String street, String city, String postalCode, String country) {
    }

    public record Item(String sku, int quantity) {
    }

    public record ShipmentRequest(String idempotencyKey, String orderId, Address address, List<Item> items) {

        Optional<String> problem() {
            if (Validation.blank(idempotencyKey)) {
                return Optional.of("idempotencyKey is required");
            }
            if (Validation.blank(orderId)) {
                return Optional.of("orderId is required");
            }
            if (address == null || Validation.blank(address.country())) {
                return Optional.of("address.country is required");
            }
            return Optional.empty();
        }
    }

    public record ShipmentResponse(String shipmentId, String orderId, String carrier, String trackingNumber,
                                   ShipmentStatus status) {

        static ShipmentResponse of(Shipment shipment) {
            return new ShipmentResponse(shipment.shipmentId(), shipment.orderId(), shipment.carrier(),
                    shipment.trackingNumber(), shipment.status());
        }
    }

    /** A booking the carrier refuses: {@code REJECTED} or {@code CANCELLED}. */
    public record ShipmentRejected(String status, String reason) {
    }

    /**
     * @param cancelled  whether the key had a booking, now cancelled
     * @param shipmentId that booking, or null
     */
    public record CancelByKeyResponse(String idempotencyKey, boolean cancelled, String shipmentId) {
    }
}
