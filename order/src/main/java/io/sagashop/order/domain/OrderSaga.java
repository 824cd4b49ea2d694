package io.sagashop.order.domain;

import io.sagashop.contracts.events.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The order's side of the choreography, as pure decisions: given the order's state and what the participants
 * reported, which order events follow. No I/O; unit-tested without Quarkus.
 * <p>
 * Every cancellation after a reservation goes through {@link OrderCancellationRequested}, which each participant
 * always answers (InventoryReleased, PaymentRefunded, ShipmentCancelled — a no-op that confirms when it had done
 * nothing). The order is CANCELLED only once all three answered, so it never claims "cancelled" while money or stock
 * is still held, whichever way the cancellation raced with in-flight steps.
 */
public final class OrderSaga {

    private OrderSaga() {
    }

    /**
     * The events that follow from the facts, applied one after another until nothing more follows. {@code now} tells a
     * provider's failure that came after the order's deadline (the participant gave up because of it: TIMEOUT) from
     * one that came before (the provider's reason).
     */
    public static List<SagaEvent> react(OrderState state, SagaFacts facts, Instant now) {
        List<SagaEvent> decided = new ArrayList<>();
        OrderState current = state;
        for (Optional<SagaEvent> next = next(current, facts, now); next.isPresent(); next = next(current, facts, now)) {
            decided.add(next.get());
            current = current.apply(next.get(), current.version() + 1, current.updatedAt());
        }
        return decided;
    }

    private static Optional<SagaEvent> next(OrderState s, SagaFacts f, Instant now) {
        if (!s.exists() || s.status().terminal()) {
            return Optional.empty();
        }
        return switch (s.status()) {
            case PENDING -> f.rejected() != null ? Optional.of(new OrderCancelled(f.rejected().reason()))
                    : f.reserved() != null ? Optional.of(new OrderReserved(f.reserved().lines(), f.reserved().total()))
                    : Optional.empty();
            case RESERVED -> f.declined() != null ? cancel(FailureReason.PAYMENT_DECLINED)
                    : f.paymentFailed() != null ? cancel(pastDeadline(s, now) ? FailureReason.TIMEOUT : FailureReason.PAYMENT_UNAVAILABLE)
                    : f.captured() != null ? Optional.of(new OrderPaid(f.captured().amount(), f.captured().providerReference()))
                    : Optional.empty();
            case PAID -> f.shipmentFailed() != null ? cancel(pastDeadline(s, now) ? FailureReason.TIMEOUT : FailureReason.SHIPPING_FAILED)
                    : f.shipped() != null ? Optional.of(new OrderCompleted(f.shipped().carrier(), f.shipped().trackingNumber()))
                    : Optional.empty();
            case CANCELLING -> f.fullyCompensated() ? Optional.of(new OrderCancelled(s.failureReason())) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static boolean pastDeadline(OrderState s, Instant now) {
        return s.deadline() != null && !now.isBefore(s.deadline());
    }

    private static Optional<SagaEvent> cancel(FailureReason reason) {
        return Optional.of(new OrderCancellationRequested(reason));
    }

    /**
     * What re-drives a cancellation whose compensations did not all confirm in time: the same request again (every
     * participant answers a repeated request idempotently). Nothing for an order that is not CANCELLING.
     */
    public static Optional<SagaEvent> redrive(OrderState s) {
        return s.exists() && s.status() == OrderStatus.CANCELLING
                ? Optional.of(new OrderCancellationRequested(s.failureReason()))
                : Optional.empty();
    }

    /** Outcome of a cancellation command (customer or deadline). */
    public sealed interface CancelDecision {
        /** Append this request. */
        record Request(OrderCancellationRequested event) implements CancelDecision {
        }

        /** Already being cancelled: nothing to add, the answer is still "accepted". */
        record AlreadyCancelling() implements CancelDecision {
        }

        /** Too late: COMPLETED or CANCELLED. */
        record Refused(OrderStatus status) implements CancelDecision {
        }
    }

    public static CancelDecision cancel(OrderState s, FailureReason reason) {
        if (s.status().terminal()) {
            return new CancelDecision.Refused(s.status());
        }
        if (s.status() == OrderStatus.CANCELLING) {
            return new CancelDecision.AlreadyCancelling();
        }
        return new CancelDecision.Request(new OrderCancellationRequested(reason));
    }

    /** True when the deadline sweeper should cancel the order now. */
    public static boolean overdue(OrderState s, Instant now) {
        return s.exists() && !s.status().terminal() && s.status() != OrderStatus.CANCELLING
                && s.deadline() != null && !now.isBefore(s.deadline());
    }
}
