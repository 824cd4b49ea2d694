package io.sagashop.order.saga;

import io.sagashop.platform.config.SagaShopConfig;

import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.FailureReason;
import io.sagashop.contracts.events.OrderCancellationRequested;
import io.sagashop.contracts.events.OrderPlaced;
import io.sagashop.contracts.events.SagaEvent;
import io.sagashop.order.domain.OrderSaga;
import io.sagashop.order.domain.OrderState;
import io.sagashop.order.store.OrderStore;
import io.sagashop.platform.messaging.EventProcessor;
import io.sagashop.platform.messaging.EventLog;
import io.sagashop.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.sagashop.platform.store.Sql;
import io.sagashop.platform.store.SqlTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The order's commands and its reaction to participant replies. Every change appends to the order's stream after
 * the version it was decided on: a concurrent change makes the append conflict, and the whole command is retried
 * against fresh state (see {@link EventProcessor#inTransaction}).
 */
@ApplicationScoped
public class OrderService {

    private final Pool pool;
    private final OrderStore store;
    private final EventLog eventLog;
    private final EventProcessor processor;
    private final Duration deadline;
    private final int snapshotEvery;

    private final Tracing tracing;
    private final SagaMetrics metrics;

    OrderService(Pool pool, OrderStore store, EventLog eventLog, EventProcessor processor, Tracing tracing, SagaMetrics metrics,
                 SagaShopConfig config) {
        this.pool = pool;
        this.store = store;
        this.eventLog = eventLog;
        this.processor = processor;
        this.tracing = tracing;
        this.metrics = metrics;
        this.deadline = config.saga().deadline();
        this.snapshotEvery = config.order().snapshotEvery();
    }

    public record Placed(String orderId, OrderState state, boolean replayed) {
    }

    /** Thrown when an Idempotency-Key comes back with a different request. */
    public static final class KeyReusedException extends RuntimeException {
        public KeyReusedException(String key) {
            super("Idempotency-Key '" + key + "' was already used with a different request");
        }
    }

    /** @param toEvent the request as its OrderPlaced event, given the new order's id and deadline */
    public Uni<Placed> place(java.util.function.BiFunction<String, Instant, OrderPlaced> toEvent, String idempotencyKey, String requestHash) {
        String newId = UUID.randomUUID().toString();
        // The order's trace starts here (a child of the HTTP request's span when there is one).
        Tracing.Step span = tracing.start("place order", SpanKind.INTERNAL, null);
        span.span().setAttribute("sagashop.order_id", newId);
        return processor.inTransaction(tx -> {
            Uni<OrderStore.Claim> claim = idempotencyKey == null
                    ? Uni.createFrom().item(new OrderStore.Claim(newId, true, true))
                    : store.claimKey(tx, idempotencyKey, requestHash, newId);
            return claim.chain(c -> {
                if (!c.fresh()) {
                    if (!c.sameRequest()) {
                        return Uni.createFrom().failure(new KeyReusedException(idempotencyKey));
                    }
                    return store.load(tx, c.orderId()).map(state -> new Placed(c.orderId(), state, true));
                }
                Instant due = Instant.now().plus(deadline);
                return append(tx, OrderState.empty(c.orderId()), List.of(toEvent.apply(c.orderId(), due)), span.traceparent())
                        .call(() -> store.watchDeadline(tx, c.orderId(), due))
                        .map(appended -> new Placed(c.orderId(), appended.state(), false));
            });
        }).onTermination().invoke((ok, failure, cancelled) -> span.end(failure));
    }

    public Uni<OrderState> get(String orderId) {
        return store.load(Sql.of(pool), orderId);
    }

    public Uni<List<EventEnvelope>> history(String orderId) {
        return store.history(Sql.of(pool), orderId);
    }

    /** A customer's (or the deadline's) cancellation; the decision says whether it was accepted. */
    public Uni<CancelOutcome> cancel(String orderId, FailureReason reason) {
        return inOrdersTrace(orderId, "cancel order", span -> processor.inTransaction(tx -> store.load(tx, orderId).chain(state -> {
            if (!state.exists()) {
                return Uni.createFrom().item(new CancelOutcome(state, null));
            }
            OrderSaga.CancelDecision decision = OrderSaga.cancel(state, reason);
            if (decision instanceof OrderSaga.CancelDecision.Request request) {
                return append(tx, state, List.of(request.event()), span.traceparent())
                        .map(appended -> new CancelOutcome(appended.state(), decision));
            }
            return Uni.createFrom().item(new CancelOutcome(state, decision));
        })));
    }

    /** Runs a command on an existing order in a span of that order's trace (linked to the request's, if any). */
    private <T> Uni<T> inOrdersTrace(String orderId, String name, java.util.function.Function<Tracing.Step, Uni<T>> command) {
        return eventLog.lastTraceparent(pool, orderId).chain(parent -> {
            Tracing.Step span = tracing.start(name, SpanKind.INTERNAL, parent);
            span.span().setAttribute("sagashop.order_id", orderId);
            return command.apply(span).onTermination().invoke((ok, failure, cancelled) -> span.end(failure));
        });
    }

    public record CancelOutcome(OrderState state, OrderSaga.CancelDecision decision) {
    }

    /**
     * The consumer step: record the participant's reply, decide on everything known, append what follows. Replies for
     * one order arrive on three topics and are handled concurrently; the per-order lock makes each decision see every
     * reply committed before it (without it, two replies in parallel could each miss the other and both decide
     * "not yet", leaving the order stuck).
     * <p>
     * The four statements go out together, pipelined on the transaction's connection, and cost one round trip instead
     * of four. That changes nothing they see: PostgreSQL runs a connection's statements one after another in the order
     * sent, and each read takes its snapshot when it starts, so after the lock is held and the reply is recorded.
     */
    public Uni<List<EventEnvelope>> onReply(SqlTransaction tx, EventEnvelope reply, SagaEvent event, String traceparent) {
        return Uni.combine().all().unis(
                        store.lockOrder(tx, reply.orderId()),
                        store.recordReply(tx, reply),
                        store.load(tx, reply.orderId()),
                        store.facts(tx, reply.orderId()))
                .asTuple()
                .chain(read -> {
                    OrderState state = read.getItem3();
                    List<SagaEvent> next = OrderSaga.react(state, read.getItem4(), Instant.now());
                    return append(tx, state, next, traceparent).map(Appended::events);
                });
    }

    /** Cancels overdue orders (reason TIMEOUT); returns how many were cancelled. */
    public Uni<Integer> sweepDeadlines(int batch) {
        return store.overdue(pool, batch).chain(due -> Multi.createFrom().iterable(due.orderIds())
                .onItem().transformToUniAndConcatenate(id -> inOrdersTrace(id, "deadline", span -> processor.inTransaction(tx -> store.load(tx, id).chain(state -> {
                    Uni<Boolean> cancelled = OrderSaga.overdue(state, due.now())
                            ? append(tx, state, List.of(new OrderCancellationRequested(FailureReason.TIMEOUT)), span.traceparent()).replaceWith(true)
                            : Uni.createFrom().item(false);
                    return cancelled.call(() -> store.deadlineFired(tx, id));
                }))))
                .collect().asList()
                .map(results -> (int) results.stream().filter(Boolean::booleanValue).count()));
    }

    /**
     * Re-drives CANCELLING orders whose compensations have not all confirmed {@code window} after their deadline: their
     * cancellation request is published again. Returns how many were re-driven.
     */
    public Uni<Integer> redriveStuck(java.time.Duration window, int batch) {
        return store.stuck(pool, window, batch).chain(ids -> Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> inOrdersTrace(id, "re-drive compensation", span -> processor.inTransaction(tx ->
                        store.load(tx, id).chain(state -> OrderSaga.redrive(state)
                                .map(event -> append(tx, state, List.of(event), span.traceparent()).replaceWith(true))
                                .orElseGet(() -> Uni.createFrom().item(false))
                                .call(() -> store.redriven(tx, id))))))
                .collect().asList()
                .map(results -> (int) results.stream().filter(Boolean::booleanValue).count()));
    }

    /** Orders past their deadline by more than {@code grace} and still not terminal. */
    public Uni<Long> overdue(java.time.Duration grace) {
        return store.countOverdue(pool, grace);
    }

    /** The events appended and the state after them. */
    private record Appended(OrderState state, List<EventEnvelope> events) {
    }

    /**
     * Appends after the version {@code state} was loaded at (a concurrent append makes this fail, and the command is
     * retried), stops watching the deadline of a terminal order, and snapshots every {@code snapshot-every} versions.
     */
    private Uni<Appended> append(SqlTransaction tx, OrderState state, List<SagaEvent> events, String traceparent) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new Appended(state, List.of()));
        }
        // The state after the append is known before it runs (the envelopes are made here), so the append and the
        // writes that follow from it go out pipelined, one round trip; a conflicting append fails the transaction, and
        // with it whatever ran after it.
        List<EventEnvelope> appended = eventLog.envelopes(state.orderId(), state.version(), events);
        OrderState after = state.applyAll(appended, Instant.MAX);
        metrics.onCommit(tx, state, after);
        boolean terminal = after.status().terminal();
        boolean snapshotDue = after.version() / snapshotEvery > state.version() / snapshotEvery;
        return Uni.combine().all().unis(
                        eventLog.appendEnvelopes(tx, appended, traceparent),
                        terminal ? store.forgetDeadline(tx, after.orderId()) : Uni.createFrom().voidItem(),
                        snapshotDue ? store.saveSnapshot(tx, after) : Uni.createFrom().voidItem())
                .discardItems()
                .replaceWith(new Appended(after, appended));
    }
}
