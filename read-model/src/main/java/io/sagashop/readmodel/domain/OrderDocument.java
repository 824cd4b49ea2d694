package io.sagashop.readmodel.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The denormalized order document served by {@code GET /views/orders/{orderId}}.
 *
 * @param lastSequence the order service's version of the order this document reflects (compare with
 *                     {@code GET /orders/{id}}'s {@code version} to see how fresh it is)
 * @param sequences    the last sequence applied per publishing service
 * @param deadline     by when the saga must end (from OrderPlaced), else it is cancelled with reason TIMEOUT
 */
public record OrderDocument(String orderId, String customerId, String status, String failureReason, List<Item> items,
                            BigDecimal total, Payment payment, Shipment shipment, List<Step> timeline,
                            Instant createdAt, Instant updatedAt, Instant projectedAt, long lastSequence,
                            Map<String, Long> sequences, Instant deadline) {

    /** @param name and {@code unitPrice} are null until inventory priced the line */
    public record Item(String sku, String name, int quantity, BigDecimal unitPrice) {
    }

    /** @param status null until a charge was attempted; CAPTURED, DECLINED, FAILED or REFUNDED */
    public record Payment(String status, BigDecimal capturedAmount, BigDecimal refundedAmount, String providerReference) {
    }

    /** @param status null until a booking was attempted; SCHEDULED, FAILED or CANCELLED */
    public record Shipment(String status, String carrier, String trackingNumber) {
    }

    /** One saga step; {@code compensation} marks the steps of the cancellation path. */
    public record Step(Instant at, String service, String event, String detail, String traceId, boolean compensation) {
    }

    public OrderDocument projectedAt(Instant at) {
        return new OrderDocument(orderId, customerId, status, failureReason, items, total, payment, shipment, timeline,
                createdAt, updatedAt, at, lastSequence, sequences, deadline);
    }
}
