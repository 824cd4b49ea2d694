package io.sagashop.order.domain;

import io.sagashop.contracts.events.FailureReason;
import io.sagashop.contracts.events.InventoryRejected;
import io.sagashop.contracts.events.InventoryReleased;
import io.sagashop.contracts.events.InventoryReserved;
import io.sagashop.contracts.events.OrderCancellationRequested;
import io.sagashop.contracts.events.OrderCancelled;
import io.sagashop.contracts.events.OrderCompleted;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.OrderPaid;
import io.sagashop.contracts.events.OrderPlaced;
import io.sagashop.contracts.events.OrderReserved;
import io.sagashop.contracts.events.PaymentCaptured;
import io.sagashop.contracts.events.PaymentDeclined;
import io.sagashop.contracts.events.PaymentFailed;
import io.sagashop.contracts.events.PaymentRefunded;
import io.sagashop.contracts.events.PricedLine;
import io.sagashop.contracts.events.SagaEvent;
import io.sagashop.contracts.events.ShipmentCancelled;
import io.sagashop.contracts.events.ShipmentFailed;
import io.sagashop.contracts.events.ShipmentScheduled;
import io.sagashop.contracts.events.ShippingAddress;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order's decisions in the choreography, as pure functions of its state and the participants' replies. */
class OrderSagaTest {

    private static final String ORDER_ID = "order-1";
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant DEADLINE = T0.plusSeconds(30);

    private static final OrderLine LINE = new OrderLine("SKU-1", 2);
    private static final ShippingAddress ADDRESS = new ShippingAddress("Ann", "Main St 1", "Town", "12345", "DE");
    private static final OrderPlaced PLACED =
            new OrderPlaced("customer-1", "ann@example.com", List.of(LINE), "****sa", "v1:opened-only-by-payment", ADDRESS, DEADLINE);

    private static final List<PricedLine> PRICED = List.of(new PricedLine("SKU-1", "Widget", 2, new BigDecimal("9.90")));
    private static final BigDecimal TOTAL = new BigDecimal("19.80");

    // participant replies
    private static final InventoryReserved INVENTORY_RESERVED = new InventoryReserved(PRICED, TOTAL);
    private static final PaymentCaptured PAYMENT_CAPTURED = new PaymentCaptured(TOTAL, "pay-123");
    private static final ShipmentScheduled SHIPMENT_SCHEDULED = new ShipmentScheduled("ACME", "TRACK-1");
    private static final InventoryReleased INVENTORY_RELEASED = new InventoryReleased(List.of(LINE));
    private static final PaymentRefunded PAYMENT_REFUNDED = new PaymentRefunded(TOTAL, "refund-1");
    private static final ShipmentCancelled SHIPMENT_CANCELLED = new ShipmentCancelled(null);

    // the order's own events
    private static final OrderReserved ORDER_RESERVED = new OrderReserved(PRICED, TOTAL);
    private static final OrderPaid ORDER_PAID = new OrderPaid(TOTAL, "pay-123");
    private static final OrderCompleted ORDER_COMPLETED = new OrderCompleted("ACME", "TRACK-1");

    // ---------------------------------------------------------------- helpers

    /** The order after its own events, with versions 1..n at T0+1s..T0+n s. */
    private static OrderState stateAfter(SagaEvent... events) {
        OrderState state = OrderState.empty(ORDER_ID);
        long version = 0;
        for (SagaEvent event : events) {
            version++;
            state = state.apply(event, version, T0.plusSeconds(version));
        }
        return state;
    }

    private static OrderState pending() {
        return stateAfter(PLACED);
    }

    private static OrderState reserved() {
        return stateAfter(PLACED, ORDER_RESERVED);
    }

    private static OrderState paid() {
        return stateAfter(PLACED, ORDER_RESERVED, ORDER_PAID);
    }

    private static OrderState completed() {
        return stateAfter(PLACED, ORDER_RESERVED, ORDER_PAID, ORDER_COMPLETED);
    }

    private static OrderState cancellingAfterReservation(FailureReason reason) {
        return stateAfter(PLACED, ORDER_RESERVED, new OrderCancellationRequested(reason));
    }

    private static OrderState cancelled(FailureReason reason) {
        return stateAfter(PLACED, ORDER_RESERVED, new OrderCancellationRequested(reason), new OrderCancelled(reason));
    }

    /** SagaFacts.NONE.with(r1).with(r2)... */
    private static SagaFacts facts(SagaEvent... replies) {
        SagaFacts facts = SagaFacts.NONE;
        for (SagaEvent reply : replies) {
            facts = facts.with(reply);
        }
        return facts;
    }

    private static OrderState applyAll(OrderState state, List<SagaEvent> events) {
        OrderState current = state;
        for (SagaEvent event : events) {
            current = current.apply(event, current.version() + 1, current.updatedAt());
        }
        return current;
    }

    // ---------------------------------------------------------------- happy path, step by step

    @Test
    void pendingOrderWithoutRepliesDecidesNothing() {
        assertEquals(List.of(), OrderSaga.react(pending(), SagaFacts.NONE, T0));
    }

    @Test
    void pendingOrderBecomesReservedWhenInventoryIsReserved() {
        List<SagaEvent> decided = OrderSaga.react(pending(), facts(INVENTORY_RESERVED), T0);

        assertEquals(List.of(new OrderReserved(PRICED, TOTAL)), decided);
        assertEquals(OrderStatus.RESERVED, applyAll(pending(), decided).status());
    }

    @Test
    void reservedOrderBecomesPaidWhenPaymentIsCaptured() {
        List<SagaEvent> decided = OrderSaga.react(reserved(), facts(INVENTORY_RESERVED, PAYMENT_CAPTURED), T0);

        assertEquals(List.of(new OrderPaid(TOTAL, "pay-123")), decided);
        assertEquals(OrderStatus.PAID, applyAll(reserved(), decided).status());
    }

    @Test
    void paidOrderCompletesWhenShipmentIsScheduled() {
        List<SagaEvent> decided =
                OrderSaga.react(paid(), facts(INVENTORY_RESERVED, PAYMENT_CAPTURED, SHIPMENT_SCHEDULED), T0);

        assertEquals(List.of(new OrderCompleted("ACME", "TRACK-1")), decided);
        assertEquals(OrderStatus.COMPLETED, applyAll(paid(), decided).status());
    }

    @Test
    void repliesThatArrivedOutOfOrderAreChainedInOneReaction() {
        // shipping's and payment's topics delivered before inventory's
        SagaFacts facts = facts(SHIPMENT_SCHEDULED, PAYMENT_CAPTURED, INVENTORY_RESERVED);

        List<SagaEvent> decided = OrderSaga.react(pending(), facts, T0);

        assertEquals(List.of(ORDER_RESERVED, ORDER_PAID, ORDER_COMPLETED), decided);
        assertEquals(OrderStatus.COMPLETED, applyAll(pending(), decided).status());
    }

    @Test
    void reactingAgainAfterTheDecisionsWereAppliedDecidesNothingMore() {
        SagaFacts facts = facts(INVENTORY_RESERVED, PAYMENT_CAPTURED);
        OrderState after = applyAll(pending(), OrderSaga.react(pending(), facts, T0));

        assertEquals(OrderStatus.PAID, after.status());
        assertEquals(List.of(), OrderSaga.react(after, facts, T0));
    }

    // ---------------------------------------------------------------- replies that overtook their prerequisite

    @Test
    void paymentCapturedBeforeTheReservationWaitsForIt() {
        assertEquals(List.of(), OrderSaga.react(pending(), facts(PAYMENT_CAPTURED), T0));
    }

    @Test
    void shipmentScheduledBeforeThePaymentWaitsForIt() {
        assertEquals(List.of(), OrderSaga.react(reserved(), facts(INVENTORY_RESERVED, SHIPMENT_SCHEDULED), T0));
    }

    @Test
    void overtakingReplyIsUsedOnceItsPrerequisiteArrives() {
        SagaFacts early = facts(PAYMENT_CAPTURED);
        assertEquals(List.of(), OrderSaga.react(pending(), early, T0));

        assertEquals(List.of(ORDER_RESERVED, ORDER_PAID), OrderSaga.react(pending(), early.with(INVENTORY_RESERVED), T0));
    }

    // ---------------------------------------------------------------- failures

    @Test
    void outOfStockCancelsTheOrderDirectlyWithNothingToCompensate() {
        SagaFacts facts = facts(new InventoryRejected(FailureReason.OUT_OF_STOCK, "SKU-1", "2 wanted, 1 available"));

        List<SagaEvent> decided = OrderSaga.react(pending(), facts, T0);

        assertEquals(List.of(new OrderCancelled(FailureReason.OUT_OF_STOCK)), decided);
        OrderState after = applyAll(pending(), decided);
        assertEquals(OrderStatus.CANCELLED, after.status());
        assertEquals(FailureReason.OUT_OF_STOCK, after.failureReason());
    }

    @Test
    void unknownProductCancelsTheOrderDirectlyWithNothingToCompensate() {
        SagaFacts facts = facts(new InventoryRejected(FailureReason.UNKNOWN_PRODUCT, "NOPE", "no product NOPE"));

        assertEquals(List.of(new OrderCancelled(FailureReason.UNKNOWN_PRODUCT)), OrderSaga.react(pending(), facts, T0));
    }

    @Test
    void paymentDeclinedRequestsCancellationSoTheStockIsReleased() {
        SagaFacts facts = facts(INVENTORY_RESERVED, new PaymentDeclined("insufficient funds"));

        List<SagaEvent> decided = OrderSaga.react(reserved(), facts, T0);

        assertEquals(List.of(new OrderCancellationRequested(FailureReason.PAYMENT_DECLINED)), decided);
        assertEquals(OrderStatus.CANCELLING, applyAll(reserved(), decided).status());
    }

    @Test
    void paymentProviderUnavailableRequestsCancellationAsPaymentUnavailable() {
        SagaFacts facts = facts(INVENTORY_RESERVED, new PaymentFailed("circuit open"));

        assertEquals(List.of(new OrderCancellationRequested(FailureReason.PAYMENT_UNAVAILABLE)),
                OrderSaga.react(reserved(), facts, T0));
    }

    @Test
    void shipmentFailedRequestsCancellationSoThePaymentIsRefunded() {
        SagaFacts facts = facts(INVENTORY_RESERVED, PAYMENT_CAPTURED, new ShipmentFailed("carrier rejected"));

        assertEquals(List.of(new OrderCancellationRequested(FailureReason.SHIPPING_FAILED)),
                OrderSaga.react(paid(), facts, T0));
    }

    @Test
    void declineThatArrivedBeforeTheReservationStillLeadsToCancellation() {
        SagaFacts facts = facts(new PaymentDeclined("insufficient funds"), INVENTORY_RESERVED);

        assertEquals(List.of(ORDER_RESERVED, new OrderCancellationRequested(FailureReason.PAYMENT_DECLINED)),
                OrderSaga.react(pending(), facts, T0));
    }

    // ---------------------------------------------------------------- compensation

    @Test
    void cancellingOrderStaysCancellingUntilAllThreeParticipantsConfirm() {
        OrderState cancelling = cancellingAfterReservation(FailureReason.PAYMENT_DECLINED);
        List<SagaEvent> confirmations = List.of(INVENTORY_RELEASED, PAYMENT_REFUNDED, SHIPMENT_CANCELLED);

        // every proper subset of the confirmations, including none at all
        for (int mask = 0; mask < 7; mask++) {
            SagaFacts facts = facts(INVENTORY_RESERVED, new PaymentDeclined("no"));
            for (int i = 0; i < 3; i++) {
                if ((mask & (1 << i)) != 0) {
                    facts = facts.with(confirmations.get(i));
                }
            }
            assertEquals(List.of(), OrderSaga.react(cancelling, facts, T0), "confirmations mask " + mask);
        }
    }

    @Test
    void cancellingOrderIsCancelledOnceAllThreeConfirmedInAnyOrder() {
        OrderState cancelling = cancellingAfterReservation(FailureReason.PAYMENT_DECLINED);
        SagaEvent[] confirmations = {INVENTORY_RELEASED, PAYMENT_REFUNDED, SHIPMENT_CANCELLED};
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

        for (int[] order : orders) {
            SagaFacts facts = facts(INVENTORY_RESERVED, new PaymentDeclined("no"));
            for (int step = 0; step < 3; step++) {
                facts = facts.with(confirmations[order[step]]);
                List<SagaEvent> decided = OrderSaga.react(cancelling, facts, T0);
                if (step < 2) {
                    assertEquals(List.of(), decided, "still waiting after " + (step + 1) + " confirmation(s)");
                } else {
                    assertEquals(List.of(new OrderCancelled(FailureReason.PAYMENT_DECLINED)), decided);
                }
            }
        }
    }

    @Test
    void redeliveredConfirmationDoesNotStandInForAMissingOne() {
        OrderState cancelling = cancellingAfterReservation(FailureReason.CUSTOMER_CANCELLED);
        SagaFacts facts = facts(INVENTORY_RELEASED, INVENTORY_RELEASED, PAYMENT_REFUNDED, PAYMENT_REFUNDED);

        assertEquals(List.of(), OrderSaga.react(cancelling, facts, T0));
    }

    @Test
    void cancelledOrderKeepsTheReasonOfTheCancellationRequest() {
        SagaFacts confirmed = facts(INVENTORY_RELEASED, PAYMENT_REFUNDED, SHIPMENT_CANCELLED);

        assertAll(
                () -> assertEquals(List.of(new OrderCancelled(FailureReason.CUSTOMER_CANCELLED)),
                        OrderSaga.react(cancellingAfterReservation(FailureReason.CUSTOMER_CANCELLED), confirmed, T0)),
                () -> assertEquals(List.of(new OrderCancelled(FailureReason.TIMEOUT)),
                        OrderSaga.react(cancellingAfterReservation(FailureReason.TIMEOUT), confirmed, T0)),
                () -> assertEquals(List.of(new OrderCancelled(FailureReason.SHIPPING_FAILED)),
                        OrderSaga.react(cancellingAfterReservation(FailureReason.SHIPPING_FAILED), confirmed, T0)));
    }

    @Test
    void failureAndItsCompensationArrivingTogetherGoStraightToCancelled() {
        SagaFacts facts = facts(INVENTORY_RESERVED, new PaymentDeclined("no"),
                SHIPMENT_CANCELLED, PAYMENT_REFUNDED, INVENTORY_RELEASED);

        List<SagaEvent> decided = OrderSaga.react(pending(), facts, T0);

        assertEquals(List.of(ORDER_RESERVED,
                new OrderCancellationRequested(FailureReason.PAYMENT_DECLINED),
                new OrderCancelled(FailureReason.PAYMENT_DECLINED)), decided);
    }

    // ---------------------------------------------------------------- terminal and unknown orders

    @Test
    void completedOrderReactsToNothing() {
        SagaFacts everything = facts(INVENTORY_RESERVED, PAYMENT_CAPTURED, SHIPMENT_SCHEDULED,
                new ShipmentFailed("late"), new PaymentDeclined("late"), INVENTORY_RELEASED, PAYMENT_REFUNDED,
                SHIPMENT_CANCELLED);

        assertEquals(List.of(), OrderSaga.react(completed(), everything, T0));
    }

    @Test
    void cancelledOrderReactsToNothing() {
        SagaFacts everything = facts(INVENTORY_RESERVED, PAYMENT_CAPTURED, SHIPMENT_SCHEDULED,
                new PaymentDeclined("no"), INVENTORY_RELEASED, PAYMENT_REFUNDED, SHIPMENT_CANCELLED);

        assertEquals(List.of(), OrderSaga.react(cancelled(FailureReason.PAYMENT_DECLINED), everything, T0));
    }

    @Test
    void rejectedOrderIgnoresALateReservation() {
        OrderState rejected = stateAfter(PLACED, new OrderCancelled(FailureReason.OUT_OF_STOCK));
        SagaFacts facts = facts(new InventoryRejected(FailureReason.OUT_OF_STOCK, "SKU-1", "x"), INVENTORY_RESERVED);

        assertEquals(List.of(), OrderSaga.react(rejected, facts, T0));
    }

    @Test
    void orderThatWasNeverPlacedReactsToNothing() {
        assertEquals(List.of(), OrderSaga.react(OrderState.empty(ORDER_ID), facts(INVENTORY_RESERVED), T0));
    }

    // ---------------------------------------------------------------- cancel command

    @Test
    void customerCanCancelAnOrderThatIsPendingReservedOrPaid() {
        OrderSaga.CancelDecision expected =
                new OrderSaga.CancelDecision.Request(new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED));

        assertAll(
                () -> assertEquals(expected, OrderSaga.cancel(pending(), FailureReason.CUSTOMER_CANCELLED)),
                () -> assertEquals(expected, OrderSaga.cancel(reserved(), FailureReason.CUSTOMER_CANCELLED)),
                () -> assertEquals(expected, OrderSaga.cancel(paid(), FailureReason.CUSTOMER_CANCELLED)));
    }

    @Test
    void cancellingAnOrderThatIsAlreadyCancellingAddsNothing() {
        OrderState cancelling = cancellingAfterReservation(FailureReason.PAYMENT_DECLINED);

        assertInstanceOf(OrderSaga.CancelDecision.AlreadyCancelling.class,
                OrderSaga.cancel(cancelling, FailureReason.CUSTOMER_CANCELLED));
    }

    @Test
    void completedOrderCannotBeCancelled() {
        assertEquals(new OrderSaga.CancelDecision.Refused(OrderStatus.COMPLETED),
                OrderSaga.cancel(completed(), FailureReason.CUSTOMER_CANCELLED));
    }

    @Test
    void cancelledOrderCannotBeCancelledAgain() {
        assertEquals(new OrderSaga.CancelDecision.Refused(OrderStatus.CANCELLED),
                OrderSaga.cancel(cancelled(FailureReason.OUT_OF_STOCK), FailureReason.CUSTOMER_CANCELLED));
    }

    // ---------------------------------------------------------------- races between a cancel and in-flight steps

    @Test
    void paymentCapturedAfterCustomerCancelledWhileReservedDoesNotPayTheOrder() {
        OrderSaga.CancelDecision decision = OrderSaga.cancel(reserved(), FailureReason.CUSTOMER_CANCELLED);
        OrderSaga.CancelDecision.Request request = assertInstanceOf(OrderSaga.CancelDecision.Request.class, decision);
        OrderState cancelling = applyAll(reserved(), List.of(request.event()));
        assertEquals(OrderStatus.CANCELLING, cancelling.status());

        List<SagaEvent> decided = OrderSaga.react(cancelling, facts(INVENTORY_RESERVED, PAYMENT_CAPTURED), T0);

        assertEquals(List.of(), decided);
        assertEquals(OrderStatus.CANCELLING, applyAll(cancelling, decided).status());
    }

    @Test
    void capturedPaymentAfterCustomerCancelIsCancelledOnlyOnceRefunded() {
        OrderState cancelling = cancellingAfterReservation(FailureReason.CUSTOMER_CANCELLED);
        SagaFacts facts = facts(INVENTORY_RESERVED, PAYMENT_CAPTURED, INVENTORY_RELEASED, SHIPMENT_CANCELLED);

        assertEquals(List.of(), OrderSaga.react(cancelling, facts, T0));
        assertEquals(List.of(new OrderCancelled(FailureReason.CUSTOMER_CANCELLED)),
                OrderSaga.react(cancelling, facts.with(PAYMENT_REFUNDED), T0));
    }

    @Test
    void shipmentScheduledWhileCancellingDoesNotCompleteTheOrder() {
        OrderState cancelling = stateAfter(PLACED, ORDER_RESERVED, ORDER_PAID,
                new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED));
        SagaFacts facts = facts(INVENTORY_RESERVED, PAYMENT_CAPTURED, SHIPMENT_SCHEDULED);

        assertEquals(List.of(), OrderSaga.react(cancelling, facts, T0));

        SagaFacts compensated = facts.with(INVENTORY_RELEASED).with(PAYMENT_REFUNDED).with(SHIPMENT_CANCELLED);
        assertEquals(List.of(new OrderCancelled(FailureReason.CUSTOMER_CANCELLED)),
                OrderSaga.react(cancelling, compensated, T0));
    }

    @Test
    void reservationArrivingAfterCustomerCancelledWhilePendingDoesNotReserveTheOrder() {
        OrderState cancelling = stateAfter(PLACED, new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED));

        assertEquals(List.of(), OrderSaga.react(cancelling, facts(INVENTORY_RESERVED, PAYMENT_CAPTURED), T0));
    }

    // ---------------------------------------------------------------- deadline

    @Test
    void aProviderGivingUpAfterTheDeadlineCancelsWithTimeoutAndBeforeItWithTheProvidersReason() {
        // Past the deadline payment and shipping give up without calling the provider; the order says why it ended.
        SagaFacts paymentFailed = facts(INVENTORY_RESERVED, new PaymentFailed("gave up"));
        assertEquals(List.of(new OrderCancellationRequested(FailureReason.PAYMENT_UNAVAILABLE)),
                OrderSaga.react(reserved(), paymentFailed, DEADLINE.minusMillis(1)));
        assertEquals(List.of(new OrderCancellationRequested(FailureReason.TIMEOUT)), OrderSaga.react(reserved(), paymentFailed, DEADLINE));

        SagaFacts shipmentFailed = facts(INVENTORY_RESERVED, PAYMENT_CAPTURED, new ShipmentFailed("gave up"));
        assertEquals(List.of(new OrderCancellationRequested(FailureReason.SHIPPING_FAILED)),
                OrderSaga.react(paid(), shipmentFailed, DEADLINE.minusMillis(1)));
        assertEquals(List.of(new OrderCancellationRequested(FailureReason.TIMEOUT)), OrderSaga.react(paid(), shipmentFailed, DEADLINE));

        SagaFacts declined = facts(INVENTORY_RESERVED, new PaymentDeclined("insufficient funds"));
        assertEquals(List.of(new OrderCancellationRequested(FailureReason.PAYMENT_DECLINED)),
                OrderSaga.react(reserved(), declined, DEADLINE.plusSeconds(5)), "a refusal is still a refusal");
    }

    @Test
    void openOrderIsOverdueAtItsDeadline() {
        assertAll(
                () -> assertTrue(OrderSaga.overdue(pending(), DEADLINE)),
                () -> assertTrue(OrderSaga.overdue(reserved(), DEADLINE)),
                () -> assertTrue(OrderSaga.overdue(paid(), DEADLINE)));
    }

    @Test
    void openOrderIsOverdueAfterItsDeadline() {
        assertTrue(OrderSaga.overdue(pending(), DEADLINE.plusSeconds(1)));
    }

    @Test
    void openOrderIsNotOverdueBeforeItsDeadline() {
        assertFalse(OrderSaga.overdue(pending(), DEADLINE.minusMillis(1)));
    }

    @Test
    void cancellingOrderIsNeverOverdue() {
        OrderState cancelling = cancellingAfterReservation(FailureReason.CUSTOMER_CANCELLED);

        assertFalse(OrderSaga.overdue(cancelling, DEADLINE.plusSeconds(3600)));
    }

    @Test
    void aStuckCancellationIsReDrivenWithItsOwnReason() {
        OrderState cancelling = cancellingAfterReservation(FailureReason.CUSTOMER_CANCELLED);

        assertEquals(Optional.of(new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED)), OrderSaga.redrive(cancelling));
    }

    @Test
    void onlyACancellingOrderIsReDriven() {
        assertAll(
                () -> assertEquals(Optional.empty(), OrderSaga.redrive(pending())),
                () -> assertEquals(Optional.empty(), OrderSaga.redrive(paid())),
                () -> assertEquals(Optional.empty(), OrderSaga.redrive(completed())),
                () -> assertEquals(Optional.empty(), OrderSaga.redrive(cancelled(FailureReason.OUT_OF_STOCK))),
                () -> assertEquals(Optional.empty(), OrderSaga.redrive(OrderState.empty(ORDER_ID))));
    }

    @Test
    void terminalOrderIsNeverOverdue() {
        assertAll(
                () -> assertFalse(OrderSaga.overdue(completed(), DEADLINE.plusSeconds(3600))),
                () -> assertFalse(OrderSaga.overdue(cancelled(FailureReason.OUT_OF_STOCK), DEADLINE.plusSeconds(3600))));
    }

    @Test
    void orderThatWasNeverPlacedIsNotOverdue() {
        assertFalse(OrderSaga.overdue(OrderState.empty(ORDER_ID), DEADLINE.plusSeconds(3600)));
    }

    // ---------------------------------------------------------------- OrderState replay

    @Test
    void emptyStateDoesNotExistUntilTheOrderIsPlaced() {
        assertFalse(OrderState.empty(ORDER_ID).exists());
        assertTrue(pending().exists());
    }

    @Test
    void replayingTheHappyPathGivesACompletedOrder() {
        Instant placedAt = Instant.parse("2025-01-01T10:00:00Z");
        Instant reservedAt = Instant.parse("2025-01-01T10:00:01Z");
        Instant paidAt = Instant.parse("2025-01-01T10:00:02Z");
        Instant completedAt = Instant.parse("2025-01-01T10:00:03Z");

        OrderState placed = OrderState.empty(ORDER_ID).apply(PLACED, 1, placedAt);
        assertEquals(OrderStatus.PENDING, placed.status());
        assertEquals(1, placed.version());
        assertNull(placed.total());

        OrderState reservedState = placed.apply(ORDER_RESERVED, 2, reservedAt);
        assertEquals(OrderStatus.RESERVED, reservedState.status());
        assertEquals(2, reservedState.version());
        assertEquals(TOTAL, reservedState.total());
        assertEquals(PRICED, reservedState.pricedLines());

        OrderState paidState = reservedState.apply(ORDER_PAID, 3, paidAt);
        assertEquals(OrderStatus.PAID, paidState.status());
        assertEquals("pay-123", paidState.paymentReference());

        OrderState done = paidState.apply(ORDER_COMPLETED, 4, completedAt);
        assertAll(
                () -> assertEquals(OrderStatus.COMPLETED, done.status()),
                () -> assertEquals(4, done.version()),
                () -> assertEquals(TOTAL, done.total()),
                () -> assertEquals(PRICED, done.pricedLines()),
                () -> assertEquals(placedAt, done.createdAt()),
                () -> assertEquals(completedAt, done.updatedAt()),
                () -> assertEquals(ORDER_ID, done.orderId()),
                () -> assertEquals("customer-1", done.customerId()),
                () -> assertEquals("ann@example.com", done.email()),
                () -> assertEquals(List.of(LINE), done.items()),
                () -> assertEquals(ADDRESS, done.shippingAddress()),
                () -> assertEquals(DEADLINE, done.deadline()),
                () -> assertEquals("pay-123", done.paymentReference()),
                () -> assertEquals("ACME", done.carrier()),
                () -> assertEquals("TRACK-1", done.trackingNumber()),
                () -> assertNull(done.failureReason()));
    }

    @Test
    void cancellationRequestRecordsItsReasonWhileCancelling() {
        OrderState cancelling = cancellingAfterReservation(FailureReason.TIMEOUT);

        assertEquals(OrderStatus.CANCELLING, cancelling.status());
        assertEquals(FailureReason.TIMEOUT, cancelling.failureReason());
    }

    @Test
    void cancelledOrderKeepsItsFailureReason() {
        OrderState afterCompensation = cancelled(FailureReason.SHIPPING_FAILED);
        OrderState rejected = stateAfter(PLACED, new OrderCancelled(FailureReason.OUT_OF_STOCK));

        assertAll(
                () -> assertEquals(OrderStatus.CANCELLED, afterCompensation.status()),
                () -> assertEquals(FailureReason.SHIPPING_FAILED, afterCompensation.failureReason()),
                () -> assertEquals(4, afterCompensation.version()),
                () -> assertEquals(T0.plusSeconds(1), afterCompensation.createdAt()),
                () -> assertEquals(T0.plusSeconds(4), afterCompensation.updatedAt()),
                () -> assertEquals(OrderStatus.CANCELLED, rejected.status()),
                () -> assertEquals(FailureReason.OUT_OF_STOCK, rejected.failureReason()));
    }

    @Test
    void replayedStateDoesNotChangeWhenTheSourceListChanges() {
        List<OrderLine> items = new ArrayList<>(List.of(LINE));
        OrderPlaced placed = new OrderPlaced("customer-1", null, items, "****sa", "v1:opened-only-by-payment", ADDRESS, DEADLINE);
        OrderState state = OrderState.empty(ORDER_ID).apply(placed, 1, T0);

        items.add(new OrderLine("SKU-2", 1));

        assertEquals(List.of(LINE), state.items());
    }
}
