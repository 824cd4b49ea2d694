package io.sagashop.payment.messaging;

import java.util.Set;
import java.util.EnumSet;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.*;
import io.sagashop.payment.provider.PaymentGateway;
import io.sagashop.payment.store.PaymentStore;
import io.sagashop.platform.messaging.EventProcessor;
import io.sagashop.platform.messaging.RetryLater;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.List;

/**
 * Payment's part of the saga. The order's row stays locked while the provider is called, so a cancellation that
 * races with a charge waits for it and then refunds what was captured: no window in which money is taken for an
 * order that has already been told "nothing to refund".
 */
@ApplicationScoped
public class PaymentSteps {

    private static final String CONSUMER = "payment";
    private static final Set<EventType> REACTS_TO = EnumSet.of(EventType.ORDER_PLACED, EventType.INVENTORY_RESERVED,
            EventType.ORDER_CANCELLATION_REQUESTED, EventType.SHIPMENT_FAILED);

    private final EventProcessor processor;
    private final PaymentStore store;
    private final PaymentGateway gateway;
    private final Duration giveUpBefore;

    PaymentSteps(EventProcessor processor, PaymentStore store, PaymentGateway gateway,
                 @ConfigProperty(name = "sagashop.saga.give-up-before-deadline") Duration giveUpBefore) {
        this.processor = processor;
        this.store = store;
        this.gateway = gateway;
        this.giveUpBefore = giveUpBefore;
    }

    @Incoming("saga-events")
    public Uni<Void> onEvent(Message<String> record) {
        return processor.dispatchParticipant(CONSUMER, record, REACTS_TO, this::step);
    }

    Uni<List<SagaEvent>> step(SqlConnection tx, EventEnvelope envelope, SagaEvent event) {
        String orderId = envelope.orderId();
        // The charge needs both the token (OrderPlaced, order-events) and the total (InventoryReserved,
        // inventory-events). The two topics are consumed independently, so either may come first: the row records
        // what is known, and whichever event completes the pair triggers the charge. Nothing waits or retries.
        if (event instanceof OrderPlaced placed) {
            return store.lock(tx, orderId).chain(p -> store.setToken(tx, orderId, placed.paymentToken(), placed.deadline(), placed.customerId()).chain(() ->
                    p.status().equals("PENDING") && p.amount() != null
                            ? charge(tx, orderId, p.amount(), placed.paymentToken(), placed.deadline())
                            : Uni.createFrom().item(List.<SagaEvent>of())));
        } else if (event instanceof InventoryReserved reserved) {
            return store.lock(tx, orderId).chain(p -> {
                if (!p.status().equals("PENDING")) {
                    return Uni.createFrom().item(List.<SagaEvent>of()); // already attempted, or cancelled first
                }
                if (p.token() == null) {
                    return store.awaitOrder(tx, orderId, reserved.total()).replaceWith(List.<SagaEvent>of());
                }
                return charge(tx, orderId, reserved.total(), p.token(), p.deadline());
            });
        } else if (event instanceof OrderCancellationRequested || event instanceof ShipmentFailed) {
            return refund(tx, orderId);
        } else {
            return Uni.createFrom().item(List.of());
        }
    }

    /**
     * Charges a PENDING order whose row the caller holds locked. An unavailable provider (timeouts, 5xx, open circuit,
     * full bulkhead) delays the order until shortly before its deadline: the step is retried later. Then the charge is
     * given up: voided by its key first, so nothing the provider may still have captured stays captured.
     */
    private Uni<List<SagaEvent>> charge(SqlConnection tx, String orderId, BigDecimal total, String token, Instant deadline) {
        return gateway.charge(orderId, total, token).chain(outcome -> {
            if (outcome instanceof PaymentGateway.Approved a) {
                return store.update(tx, orderId, "CAPTURED", total, a.amount(), BigDecimal.ZERO, a.chargeId(), a.chargeId(), null)
                        .replaceWith(List.<SagaEvent>of(new PaymentCaptured(a.amount(), a.chargeId())));
            }
            if (outcome instanceof PaymentGateway.Declined d) {
                return store.update(tx, orderId, "DECLINED", total, BigDecimal.ZERO, BigDecimal.ZERO, null, null, d.reason())
                        .replaceWith(List.<SagaEvent>of(new PaymentDeclined(d.reason())));
            }
            String reason = ((PaymentGateway.Unavailable) outcome).reason();
            if (RetryLater.worthWaiting(deadline, giveUpBefore, Instant.now())) {
                return Uni.createFrom().failure(new RetryLater(reason + "; retrying until shortly before the order's deadline " + deadline));
            }
            // Void failures propagate: the step is retried until the provider confirms the void.
            return gateway.voidCharge(orderId)
                    .chain(() -> store.update(tx, orderId, "FAILED", total, BigDecimal.ZERO, BigDecimal.ZERO, null, null, reason))
                    .replaceWith(List.<SagaEvent>of(new PaymentFailed(reason)));
        });
    }

    /** Compensation: refunds what was captured; always confirms, with amount 0 when there was nothing. */
    private Uni<List<SagaEvent>> refund(SqlConnection tx, String orderId) {
        return store.lock(tx, orderId).chain(p -> switch (p.status()) {
            case "CAPTURED" -> gateway.refund(orderId, p.chargeId(), p.captured()).chain(refundId ->
                    store.update(tx, orderId, "REFUNDED", p.amount(), p.captured(), p.captured(), p.chargeId(), p.providerReference(), null)
                            .replaceWith(List.<SagaEvent>of(new PaymentRefunded(p.captured(), refundId))));
            case "PENDING" -> store.update(tx, orderId, "CANCELLED", null, BigDecimal.ZERO, BigDecimal.ZERO, null, null, null)
                    .replaceWith(List.<SagaEvent>of(new PaymentRefunded(BigDecimal.ZERO, null)));
            // a repeated request (a re-driven compensation) confirms again what was refunded
            case "REFUNDED" -> Uni.createFrom().item(List.<SagaEvent>of(new PaymentRefunded(p.refunded(), null)));
            default -> Uni.createFrom().item(List.<SagaEvent>of(new PaymentRefunded(BigDecimal.ZERO, null)));
        });
    }
}
