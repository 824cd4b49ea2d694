package io.sagashop.payment.messaging;

import io.sagashop.platform.config.SagaShopConfig;

import java.util.Set;
import java.util.EnumSet;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.PaymentTokenSeal;
import io.sagashop.platform.messaging.PoisonRecordException;
import io.sagashop.contracts.events.*;
import io.sagashop.payment.domain.Payment;
import io.sagashop.payment.domain.PaymentStatus;
import io.sagashop.payment.provider.PaymentGateway;
import io.sagashop.payment.store.PaymentStore;
import io.sagashop.platform.messaging.EventProcessor;
import io.sagashop.platform.messaging.StepContext;
import io.sagashop.platform.messaging.RetryLater;
import io.smallrye.mutiny.Uni;
import io.sagashop.platform.store.SqlTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Payment's part of the saga. The order's row stays locked while the provider is called, so a cancellation that
 * races with a charge waits for it and then refunds what was captured: no window in which money is taken for an
 * order that has already been told "nothing to refund".
 */
@ApplicationScoped
public class PaymentSteps {

    private static final String CONSUMER = "payment";
    private static final List<SagaEvent> NOTHING = List.of();
    static final String DEADLINE_PASSED = "the order's deadline passed before it could be charged";
    private static final Set<EventType> REACTS_TO = EnumSet.of(EventType.ORDER_PLACED, EventType.INVENTORY_RESERVED,
            EventType.ORDER_CANCELLATION_REQUESTED, EventType.SHIPMENT_FAILED);

    private final EventProcessor processor;
    private final PaymentStore store;
    private final PaymentGateway gateway;
    private final Duration giveUpBefore;
    private final PaymentTokenSeal seal;

    PaymentSteps(EventProcessor processor, PaymentStore store, PaymentGateway gateway, PaymentTokenSeal seal,
                 SagaShopConfig config) {
        this.processor = processor;
        this.seal = seal;
        this.store = store;
        this.gateway = gateway;
        this.giveUpBefore = config.saga().giveUpBeforeDeadline();
    }

    @Incoming("saga-events")
    public Uni<Void> onEvent(Message<String> record) {
        return processor.dispatchParticipant(CONSUMER, record, REACTS_TO, this::step);
    }

    Uni<List<SagaEvent>> step(SqlTransaction tx, EventEnvelope envelope, SagaEvent event) {
        String orderId = envelope.orderId();
        if (event instanceof OrderPlaced placed) {
            // A token this service cannot open would never be charged: refuse the event now, not at the charge.
            String token = open(orderId, placed.sealedPaymentToken());
            return store.lock(tx, orderId)
                    .map(p -> p.withOrder(placed.sealedPaymentToken(), placed.deadline(), placed.customerId()))
                    .chain(p -> p.readyToCharge() ? charge(tx, p, token) : store.save(p).replaceWith(NOTHING));
        } else if (event instanceof InventoryReserved reserved) {
            return store.lock(tx, orderId).chain(p -> {
                if (p.status() != PaymentStatus.PENDING) {
                    return Uni.createFrom().item(NOTHING); // already attempted, or cancelled first
                }
                Payment withTotal = p.withTotal(reserved.total());
                return withTotal.readyToCharge() ? charge(tx, withTotal, open(orderId, withTotal.sealedToken()))
                        : store.save(withTotal).replaceWith(NOTHING);
            });
        } else if (event instanceof OrderCancellationRequested || event instanceof ShipmentFailed) {
            return store.lock(tx, orderId).chain(p -> compensate(tx, p));
        } else {
            return Uni.createFrom().item(NOTHING);
        }
    }

    /**
     * Charges a payment ready for it, whose row the caller holds locked. An unavailable provider (timeouts, 5xx, open
     * circuit, full bulkhead) delays the order until shortly before its deadline: the step is retried later. Then the
     * charge is given up: voided by its key first, so nothing the provider may still have captured stays captured.
     */
    private Uni<List<SagaEvent>> charge(SqlTransaction tx, Payment p, String token) {
        if (p.pastDeadline(Instant.now())) {
            // Not charged: the order is being cancelled. Voided by key, as an earlier attempt of this step may have
            // reached the provider before it was retried.
            return StepContext.resumeAfter(gateway.voidCharge(p.orderId()))
                    .chain(() -> store.save(p.failed(DEADLINE_PASSED)))
                    .replaceWith(List.<SagaEvent>of(new PaymentFailed(DEADLINE_PASSED)));
        }
        return StepContext.resumeAfter(gateway.charge(p.orderId(), p.amount(), token)).chain(outcome -> {
            if (outcome instanceof PaymentGateway.Approved a) {
                return store.save(p.captured(a.chargeId(), a.amount()))
                        .replaceWith(List.<SagaEvent>of(new PaymentCaptured(a.amount(), a.chargeId())));
            }
            if (outcome instanceof PaymentGateway.Declined d) {
                return store.save(p.declined(d.reason())).replaceWith(List.<SagaEvent>of(new PaymentDeclined(d.reason())));
            }
            String reason = ((PaymentGateway.Unavailable) outcome).reason();
            if (RetryLater.worthWaiting(p.deadline(), giveUpBefore, Instant.now())) {
                return Uni.createFrom().failure(new RetryLater(reason + "; retrying until shortly before the order's deadline " + p.deadline()));
            }
            // Void failures propagate: the step is retried until the provider confirms the void.
            return StepContext.resumeAfter(gateway.voidCharge(p.orderId()))
                    .chain(() -> store.save(p.failed(reason)))
                    .replaceWith(List.<SagaEvent>of(new PaymentFailed(reason)));
        });
    }

    /** Compensation: refunds what was captured; always confirms, with amount 0 when there was nothing. */
    private Uni<List<SagaEvent>> compensate(SqlTransaction tx, Payment p) {
        return switch (p.compensation()) {
            case REFUND_CAPTURED -> StepContext.resumeAfter(gateway.refund(p.orderId(), p.chargeId(), p.captured())).chain(refundId ->
                    store.save(p.fullyRefunded()).replaceWith(List.<SagaEvent>of(new PaymentRefunded(p.captured(), refundId))));
            case CANCEL_BEFORE_CHARGE -> store.save(p.cancelled())
                    .replaceWith(List.<SagaEvent>of(new PaymentRefunded(BigDecimal.ZERO, null)));
            case CONFIRM_AGAIN -> Uni.createFrom().item(List.<SagaEvent>of(new PaymentRefunded(p.refunded(), null)));
            case NOTHING -> Uni.createFrom().item(List.<SagaEvent>of(new PaymentRefunded(BigDecimal.ZERO, null)));
        };
    }

    /** The order's payment token, opened only to call the provider (never stored or logged in clear). */
    private String open(String orderId, String sealedToken) {
        try {
            return seal.open(orderId, sealedToken);
        } catch (PaymentTokenSeal.Unreadable e) {
            throw new PoisonRecordException(e.getMessage());
        }
    }
}
