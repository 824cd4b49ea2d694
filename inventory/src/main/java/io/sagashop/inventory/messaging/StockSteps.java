package io.sagashop.inventory.messaging;

import java.util.Set;
import java.util.EnumSet;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.*;
import io.sagashop.inventory.domain.Reservation;
import io.sagashop.inventory.store.StockStore;
import io.sagashop.platform.messaging.EventProcessor;
import io.smallrye.mutiny.Uni;
import io.sagashop.platform.store.SqlTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.Map;

/**
 * Inventory's part of the saga. Every step first locks the order's reservation row, so one order's events are
 * applied one at a time whichever topic they came from; stock rows are locked in SKU order, so two orders racing
 * for the last unit are serialised and only one wins.
 */
@ApplicationScoped
public class StockSteps {

    private static final String CONSUMER = "inventory";
    private static final Set<EventType> REACTS_TO = EnumSet.of(EventType.ORDER_PLACED, EventType.ORDER_CANCELLATION_REQUESTED,
            EventType.PAYMENT_DECLINED, EventType.PAYMENT_FAILED, EventType.SHIPMENT_FAILED, EventType.SHIPMENT_SCHEDULED);

    private final EventProcessor processor;
    private final StockStore store;

    StockSteps(EventProcessor processor, StockStore store) {
        this.processor = processor;
        this.store = store;
    }

    @Incoming("saga-events")
    public Uni<Void> onEvent(Message<String> record) {
        return processor.dispatchParticipant(CONSUMER, record, REACTS_TO, this::step);
    }

    Uni<List<SagaEvent>> step(SqlTransaction tx, EventEnvelope envelope, SagaEvent event) {
        String orderId = envelope.orderId();
        if (event instanceof OrderPlaced placed) {
            return reserve(tx, orderId, placed.items());
        } else if (event instanceof OrderCancellationRequested || event instanceof PaymentDeclined
                || event instanceof PaymentFailed || event instanceof ShipmentFailed) {
            return release(tx, orderId);
        } else if (event instanceof ShipmentScheduled) {
            return sell(tx, orderId);
        } else {
            return Uni.createFrom().item(List.of());
        }
    }

    private Uni<List<SagaEvent>> reserve(SqlTransaction tx, String orderId, List<OrderLine> lines) {
        return store.lockReservation(tx, orderId).chain(reservation -> {
            if (!reservation.status().equals("NONE")) {
                return Uni.createFrom().item(List.<SagaEvent>of()); // decided before, or cancelled first
            }
            Map<String, Integer> wanted = Reservation.quantities(lines);
            return store.lockProducts(List.copyOf(wanted.keySet())).chain(catalog -> {
                Reservation.Decision decision = Reservation.decide(lines, catalog);
                if (decision instanceof Reservation.Reserve reserve) {
                    return store.move(reserve.quantities(), -1, +1, 0)
                            .chain(() -> store.setReservation(orderId, "RESERVED", lines))
                            .replaceWith(List.<SagaEvent>of(new InventoryReserved(reserve.lines(), reserve.total())));
                }
                Reservation.Reject reject = (Reservation.Reject) decision;
                return store.setReservation(orderId, "REJECTED", List.of())
                        .replaceWith(List.<SagaEvent>of(new InventoryRejected(reject.reason(), reject.sku(), reject.detail())));
            });
        });
    }

    /** Compensation: gives reserved (or already sold) units back; always confirms, also when there was nothing. */
    private Uni<List<SagaEvent>> release(SqlTransaction tx, String orderId) {
        return store.lockReservation(tx, orderId).chain(reservation -> {
            Map<String, Integer> quantities = Reservation.quantities(reservation.lines());
            Uni<Void> undo = switch (reservation.status()) {
                case "RESERVED" -> store.move(quantities, +1, -1, 0).chain(() -> store.setReservation(orderId, "RELEASED", reservation.lines()));
                case "SOLD" -> store.move(quantities, +1, 0, -1).chain(() -> store.setReservation(orderId, "RELEASED", reservation.lines()));
                case "NONE" -> store.setReservation(orderId, "CANCELLED", List.of());
                default -> Uni.createFrom().voidItem();
            };
            boolean gaveBack = reservation.status().equals("RESERVED") || reservation.status().equals("SOLD");
            return undo.replaceWith(List.<SagaEvent>of(new InventoryReleased(gaveBack ? reservation.lines() : List.of())));
        });
    }

    private Uni<List<SagaEvent>> sell(SqlTransaction tx, String orderId) {
        return store.lockReservation(tx, orderId).chain(reservation -> reservation.status().equals("RESERVED")
                ? store.move(Reservation.quantities(reservation.lines()), 0, -1, +1)
                .chain(() -> store.setReservation(orderId, "SOLD", reservation.lines()))
                .replaceWith(List.<SagaEvent>of())
                : Uni.createFrom().item(List.<SagaEvent>of()));
    }
}
