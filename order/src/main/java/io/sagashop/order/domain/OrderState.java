package io.sagashop.order.domain;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.*;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order as the fold of its own events (event sourcing): never stored, always replayed. Immutable; {@link #apply}
 * returns the next state.
 */
public record OrderState(String orderId, String customerId, String email, List<OrderLine> items,
                         ShippingAddress shippingAddress, OrderStatus status, FailureReason failureReason,
                         List<PricedLine> pricedLines, BigDecimal total, String paymentReference,
                         String carrier, String trackingNumber, Instant deadline,
                         long version, Instant createdAt, Instant updatedAt) {

    /** The state before the first event. */
    public static OrderState empty(String orderId) {
        return new OrderState(orderId, null, null, List.of(), null, null, null, List.of(), null, null, null, null,
                null, 0, null, null);
    }

    public boolean exists() {
        return version > 0;
    }

    /** The state as it was at {@code asOf}: the fold of the events that had happened by then. */
    public static OrderState replay(String orderId, List<EventEnvelope> events, Instant asOf) {
        return empty(orderId).applyAll(events, asOf);
    }

    /** Applies events (upcast by {@link EventCodec#payload}) in version order, up to {@code asOf}. */
    public OrderState applyAll(List<EventEnvelope> events, Instant asOf) {
        OrderState state = this;
        for (EventEnvelope e : events) {
            if (e.occurredAt().isAfter(asOf)) {
                break;
            }
            state = state.apply(EventCodec.payload(e), e.sequence(), e.occurredAt());
        }
        return state;
    }

    public OrderState apply(SagaEvent event, long sequence, Instant at) {
        OrderState s = this;
        if (event instanceof OrderPlaced e) {
            s = new OrderState(orderId, e.customerId(), e.email(), List.copyOf(e.items()), e.shippingAddress(),
                    OrderStatus.PENDING, null, List.of(), null, null, null, null, e.deadline(), version, at, at);
        } else if (event instanceof OrderReserved e) {
            s = with(OrderStatus.PENDING.equals(status) ? OrderStatus.RESERVED : status, failureReason)
                    .priced(e.lines(), e.total());
        } else if (event instanceof OrderPaid e) {
            s = with(OrderStatus.PAID, failureReason).paidWith(e.providerReference());
        } else if (event instanceof OrderCompleted e) {
            s = with(OrderStatus.COMPLETED, null).shippedWith(e.carrier(), e.trackingNumber());
        } else if (event instanceof OrderCancellationRequested e) {
            s = with(OrderStatus.CANCELLING, e.reason());
        } else if (event instanceof OrderCancelled e) {
            s = with(OrderStatus.CANCELLED, e.reason());
        }
        return new OrderState(s.orderId, s.customerId, s.email, s.items, s.shippingAddress, s.status, s.failureReason,
                s.pricedLines, s.total, s.paymentReference, s.carrier, s.trackingNumber, s.deadline,
                sequence, s.createdAt == null ? at : s.createdAt, at);
    }

    private OrderState with(OrderStatus newStatus, FailureReason reason) {
        return new OrderState(orderId, customerId, email, items, shippingAddress, newStatus, reason, pricedLines, total,
                paymentReference, carrier, trackingNumber, deadline, version, createdAt, updatedAt);
    }

    private OrderState priced(List<PricedLine> lines, BigDecimal amount) {
        return new OrderState(orderId, customerId, email, items, shippingAddress, status, failureReason, List.copyOf(lines),
                amount, paymentReference, carrier, trackingNumber, deadline, version, createdAt, updatedAt);
    }

    private OrderState paidWith(String reference) {
        return new OrderState(orderId, customerId, email, items, shippingAddress, status, failureReason, pricedLines,
                total, reference, carrier, trackingNumber, deadline, version, createdAt, updatedAt);
    }

    private OrderState shippedWith(String carrierName, String tracking) {
        return new OrderState(orderId, customerId, email, items, shippingAddress, status, failureReason, pricedLines,
                total, paymentReference, carrierName, tracking, deadline, version, createdAt, updatedAt);
    }
}
