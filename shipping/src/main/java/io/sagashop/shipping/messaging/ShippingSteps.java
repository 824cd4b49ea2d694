package io.sagashop.shipping.messaging;

import java.util.Set;
import java.util.EnumSet;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.*;
import io.sagashop.platform.messaging.EventProcessor;
import io.sagashop.platform.messaging.RetryLater;
import io.sagashop.shipping.provider.CarrierGateway;
import io.sagashop.shipping.store.ShipmentStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.List;

/**
 * Shipping's part of the saga. Like payment, it keeps the order's row locked while it talks to the carrier, so a
 * cancellation racing with a booking cancels what was booked.
 */
@ApplicationScoped
public class ShippingSteps {

    private static final String CONSUMER = "shipping";
    private static final Set<EventType> REACTS_TO = EnumSet.of(EventType.ORDER_PLACED, EventType.PAYMENT_CAPTURED,
            EventType.ORDER_CANCELLATION_REQUESTED);

    private final EventProcessor processor;
    private final ShipmentStore store;
    private final CarrierGateway carrier;
    private final Duration giveUpBefore;

    ShippingSteps(EventProcessor processor, ShipmentStore store, CarrierGateway carrier,
                  @ConfigProperty(name = "sagashop.saga.give-up-before-deadline") Duration giveUpBefore) {
        this.processor = processor;
        this.store = store;
        this.carrier = carrier;
        this.giveUpBefore = giveUpBefore;
    }

    @Incoming("saga-events")
    public Uni<Void> onEvent(Message<String> record) {
        return processor.dispatchParticipant(CONSUMER, record, REACTS_TO, this::step);
    }

    Uni<List<SagaEvent>> step(SqlConnection tx, EventEnvelope envelope, SagaEvent event) {
        String orderId = envelope.orderId();
        // Booking needs the address (OrderPlaced, order-events) and the payment (PaymentCaptured, payment-events).
        // The two topics are consumed independently, so either may come first: the row records what is known and
        // whichever event completes the pair books the shipment.
        if (event instanceof OrderPlaced placed) {
            return store.lock(tx, orderId).chain(s -> store.remember(tx, orderId, placed.shippingAddress(), placed.items(), placed.deadline(), placed.customerId())
                    .chain(() -> s.status().equals("PENDING") && s.paid()
                            ? book(tx, orderId, placed.shippingAddress(), placed.items(), placed.deadline())
                            : Uni.createFrom().item(List.<SagaEvent>of())));
        } else if (event instanceof PaymentCaptured) {
            return store.lock(tx, orderId).chain(s -> {
                if (!s.status().equals("PENDING")) {
                    return Uni.createFrom().item(List.<SagaEvent>of()); // booked before, or cancelled first
                }
                if (s.address() == null) {
                    return store.markPaid(tx, orderId).replaceWith(List.<SagaEvent>of());
                }
                return book(tx, orderId, s.address(), s.items(), s.deadline());
            });
        } else if (event instanceof OrderCancellationRequested) {
            return cancel(tx, orderId);
        } else {
            return Uni.createFrom().item(List.of());
        }
    }

    /**
     * Books a PENDING order whose row the caller holds locked. An unavailable carrier (timeouts, 5xx, open circuit,
     * full bulkhead) delays the order until shortly before its deadline: the step is retried later. Then the booking is
     * given up: cancelled by its key at the carrier first, so a booking our timeout missed does not stay live.
     */
    private Uni<List<SagaEvent>> book(SqlConnection tx, String orderId, ShippingAddress address, List<OrderLine> items,
                                      Instant deadline) {
        return carrier.book(orderId, address, items).chain(outcome -> {
            if (outcome instanceof CarrierGateway.Booked b) {
                return store.update(tx, orderId, "SCHEDULED", b.shipmentId(), b.carrier(), b.trackingNumber(), null)
                        .replaceWith(List.<SagaEvent>of(new ShipmentScheduled(b.carrier(), b.trackingNumber())));
            }
            if (outcome instanceof CarrierGateway.Rejected r) {
                return store.update(tx, orderId, "FAILED", null, null, null, r.reason())
                        .replaceWith(List.<SagaEvent>of(new ShipmentFailed(r.reason())));
            }
            String reason = ((CarrierGateway.Unavailable) outcome).reason();
            if (RetryLater.worthWaiting(deadline, giveUpBefore, Instant.now())) {
                return Uni.createFrom().failure(new RetryLater(reason + "; retrying until shortly before the order's deadline " + deadline));
            }
            return carrier.cancelByKey(orderId)
                    .chain(() -> store.update(tx, orderId, "FAILED", null, null, null, reason))
                    .replaceWith(List.<SagaEvent>of(new ShipmentFailed(reason)));
        });
    }

    /**
     * Compensation: cancels what may be booked; always confirms, also when nothing was booked. Whatever is not
     * SCHEDULED is cancelled by its key: an attempt whose answer we never got (a timeout, a crash before the commit)
     * may have booked at the carrier, and a cancelled key can never book afterwards.
     */
    private Uni<List<SagaEvent>> cancel(SqlConnection tx, String orderId) {
        return store.lock(tx, orderId).chain(s -> switch (s.status()) {
            case "SCHEDULED" -> carrier.cancel(s.shipmentId())
                    .chain(() -> store.update(tx, orderId, "CANCELLED", s.shipmentId(), s.carrier(), s.trackingNumber(), "cancelled"))
                    .replaceWith(List.<SagaEvent>of(new ShipmentCancelled(s.trackingNumber())));
            case "PENDING" -> carrier.cancelByKey(orderId).chain(() -> store.update(tx, orderId, "CANCELLED", null, null, null, "cancelled before booking"))
                    .replaceWith(List.<SagaEvent>of(new ShipmentCancelled(null)));
            case "FAILED" -> carrier.cancelByKey(orderId).replaceWith(List.<SagaEvent>of(new ShipmentCancelled(null)));
            default -> Uni.createFrom().item(List.<SagaEvent>of(new ShipmentCancelled(null)));
        });
    }
}
