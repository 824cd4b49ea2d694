package io.sagashop.order.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.FailureReason;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.order.domain.OrderState;
import io.sagashop.order.domain.OrderStatus;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Response bodies of the order API. */
public final class OrderViews {

    private OrderViews() {
    }

    public record Accepted(String orderId, OrderStatus status) {
    }

    public record OrderView(String orderId, String customerId, OrderStatus status, List<OrderLine> items,
                            BigDecimal total, FailureReason failureReason, long version, Instant createdAt,
                            Instant updatedAt) {
        static OrderView of(OrderState s) {
            return new OrderView(s.orderId(), s.customerId(), s.status(), s.items(), s.total(), s.failureReason(),
                    s.version(), s.createdAt(), s.updatedAt());
        }
    }

    /**
     * @param schemaVersion as stored; {@code data} is always in the current shape (older versions upcast), without the
     *                      sealed payment token (OrderPlaced's paymentMethod shows its masked form)
     */
    public record EventView(long version, String type, int schemaVersion, Instant occurredAt, JsonNode data) {
        static EventView of(EventEnvelope e) {
            ObjectNode data = EventCodec.mapper().valueToTree(EventCodec.payload(e));
            data.remove("sealedPaymentToken");
            return new EventView(e.sequence(), e.type(), e.schemaVersion(), e.occurredAt(), data);
        }
    }
}
