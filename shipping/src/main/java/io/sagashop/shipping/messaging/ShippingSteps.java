package io.sagashop.shipping.messaging;

import io.sagashop.platform.config.SagaShopConfig;

import java.util.Set;
import java.util.EnumSet;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.*;
import io.sagashop.platform.messaging.EventProcessor;
import io.sagashop.platform.messaging.StepContext;
import io.sagashop.platform.messaging.RetryLater;
import io.sagashop.shipping.domain.Shipment;
import io.sagashop.shipping.domain.ShipmentStatus;
import io.sagashop.shipping.provider.CarrierGateway;
import io.sagashop.shipping.store.ShipmentStore;
import io.smallrye.mutiny.Uni;
import io.sagashop.platform.store.SqlTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Shipping's part of the saga. Like payment, it keeps the order's row locked while it talks to the carrier, so a
 * cancellation racing with a booking cancels what was booked.
 */
@ApplicationScoped
public class ShippingSteps {

    private static final String CONSUMER = "shipping";
    private static final List<SagaEvent> NOTHING = List.of();
    static final String DEADLINE_PASSED = "the order's deadline passed before it could be booked";
    private static final Set<EventType> REACTS_TO = EnumSet.of(EventType.ORDER_PLACED, EventType.PAYMENT_CAPTURED,
            EventType.ORDER_CANCELLATION_REQUESTED);

    private final EventProcessor processor;
    private final ShipmentStore store;
    private final CarrierGateway carrier;
    private final Duration giveUpBefore;

    ShippingSteps(EventProcessor processor, ShipmentStore store, CarrierGateway carrier,
                  SagaShopConfig config) {
        this.processor = processor;
        this.store = store;
        this.carrier = carrier;
        this.giveUpBefore = config.saga().giveUpBeforeDeadline();
    }

    @Incoming("saga-events")
    public Uni<Void> onEvent(Message<String> record) {
        return processor.dispatchParticipant(CONSUMER, record, REACTS_TO, this::step);
    }

    Uni<List<SagaEvent>> step(SqlTransaction tx, EventEnvelope envelope, SagaEvent event) {
        String orderId = envelope.orderId();
        if (event instanceof OrderPlaced placed) {
            return store.lock(tx, orderId)
                    .map(s -> s.withOrder(placed.shippingAddress(), placed.items(), placed.deadline(), placed.customerId()))
                    .chain(s -> s.readyToBook() ? book(tx, s) : store.save(s).replaceWith(NOTHING));
        } else if (event instanceof PaymentCaptured) {
            return store.lock(tx, orderId).chain(s -> {
                if (s.status() != ShipmentStatus.PENDING) {
                    return Uni.createFrom().item(NOTHING); // booked before, or cancelled first
                }
                Shipment paid = s.withPayment();
                return paid.readyToBook() ? book(tx, paid) : store.save(paid).replaceWith(NOTHING);
            });
        } else if (event instanceof OrderCancellationRequested) {
            return store.lock(tx, orderId).chain(s -> cancel(tx, s));
        } else {
            return Uni.createFrom().item(NOTHING);
        }
    }

    /**
     * Books a shipment ready for it, whose row the caller holds locked. An unavailable carrier (timeouts, 5xx, open
     * circuit, full bulkhead) delays the order until shortly before its deadline: the step is retried later. Then the
     * booking is given up: cancelled by its key at the carrier first, so a booking our timeout missed does not stay live.
     */
    private Uni<List<SagaEvent>> book(SqlTransaction tx, Shipment s) {
        if (s.pastDeadline(Instant.now())) {
            // Not booked: the order is being cancelled. Cancelled by key, as an earlier attempt of this step may have
            // reached the carrier before it was retried.
            return StepContext.resumeAfter(carrier.cancelByKey(s.orderId()))
                    .chain(() -> store.save(s.failed(DEADLINE_PASSED)))
                    .replaceWith(List.<SagaEvent>of(new ShipmentFailed(DEADLINE_PASSED)));
        }
        return StepContext.resumeAfter(carrier.book(s.orderId(), s.address(), s.items())).chain(outcome -> {
            if (outcome instanceof CarrierGateway.Booked b) {
                return store.save(s.scheduled(b.shipmentId(), b.carrier(), b.trackingNumber()))
                        .replaceWith(List.<SagaEvent>of(new ShipmentScheduled(b.carrier(), b.trackingNumber())));
            }
            if (outcome instanceof CarrierGateway.Rejected r) {
                return store.save(s.failed(r.reason())).replaceWith(List.<SagaEvent>of(new ShipmentFailed(r.reason())));
            }
            String reason = ((CarrierGateway.Unavailable) outcome).reason();
            if (RetryLater.worthWaiting(s.deadline(), giveUpBefore, Instant.now())) {
                return Uni.createFrom().failure(new RetryLater(reason + "; retrying until shortly before the order's deadline " + s.deadline()));
            }
            return StepContext.resumeAfter(carrier.cancelByKey(s.orderId()))
                    .chain(() -> store.save(s.failed(reason)))
                    .replaceWith(List.<SagaEvent>of(new ShipmentFailed(reason)));
        });
    }

    /** Compensation: cancels what may be booked; always confirms, also when nothing was booked. */
    private Uni<List<SagaEvent>> cancel(SqlTransaction tx, Shipment s) {
        Uni<Void> atCarrier = switch (s.compensation()) {
            case CANCEL_BOOKING -> StepContext.resumeAfter(carrier.cancel(s.shipmentId()));
            case CANCEL_BY_KEY -> StepContext.resumeAfter(carrier.cancelByKey(s.orderId()));
            case CONFIRM_AGAIN -> Uni.createFrom().voidItem();
        };
        Shipment cancelled = s.cancelled();
        return atCarrier.chain(() -> cancelled == s ? Uni.createFrom().voidItem() : store.save(cancelled))
                .replaceWith(List.<SagaEvent>of(new ShipmentCancelled(cancelled.trackingNumber())));
    }
}
