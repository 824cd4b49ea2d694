package io.sagashop.platform.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.platform.config.SagaShopConfig;
import io.sagashop.platform.tracing.Tracing;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sagashop.platform.store.Transactions;
import io.sagashop.platform.store.SqlTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch of records in ONE database transaction: their inbox rows in one statement, then for each record delivered
 * for the first time, in order, the consumer's step, then its per-transaction work; acknowledged after the commit.
 * If the batch fails, its records are handled again one transaction each: a transient failure is retried with capped
 * backoff and jitter until it passes, and only a poison record ({@link Failures}) goes to the dead-letter topic, alone.
 */
@ApplicationScoped
class BatchTransactions {

    private static final Logger LOG = Logger.getLogger(BatchTransactions.class);

    private final Transactions transactions;
    private final Inbox inbox;
    private final OutboxRelay relay;
    private final Tracing tracing;
    private final MeterRegistry metrics;
    private final RecordSettlement settlement;
    private final Duration maxBackoff;
    /** Failed attempts of the records being retried now, by event id (removed when the record settles). */
    private final ConcurrentHashMap<java.util.UUID, Integer> attempts = new ConcurrentHashMap<>();

    BatchTransactions(Transactions transactions, Inbox inbox, OutboxRelay relay, Tracing tracing, MeterRegistry metrics,
                      RecordSettlement settlement, SagaShopConfig config) {
        this.transactions = transactions;
        this.inbox = inbox;
        this.relay = relay;
        this.tracing = tracing;
        this.metrics = metrics;
        this.settlement = settlement;
        this.maxBackoff = config.consumer().maxBackoff();
    }

    /** One transaction for the whole batch; if it fails, every record again on its own. Never fails. */
    Uni<Void> handle(List<PendingRecord> batch) {
        if (batch.size() == 1) {
            return handleAlone(batch.get(0));
        }
        List<Tracing.Step> spans = new ArrayList<>(batch.size());
        return transactions.run(tx -> {
                    Map<EventProcessor.PerTransaction<Object>, Object> states = new IdentityHashMap<>();
                    // The batch's inbox rows in one statement, then the steps of the records delivered for the first time.
                    return firstDeliveries(tx, batch)
                            .chain(first -> Multi.createFrom().range(0, batch.size())
                                    .onItem().transformToUniAndConcatenate(i -> {
                                        PendingRecord p = batch.get(i);
                                        Tracing.Step span = span(p);
                                        spans.add(span);
                                        return handle(tx, p, states.computeIfAbsent(p.perTransaction(), EventProcessor.PerTransaction::begin), span, first[i]);
                                    })
                                    .collect().asList())
                            .call(() -> Multi.createFrom().iterable(states.entrySet())
                                    .onItem().transformToUniAndConcatenate(s -> s.getKey().beforeCommit(tx, s.getValue()))
                                    .collect().last());
                })
                .onItemOrFailure().transformToUni((published, failure) -> {
                    spans.forEach(span -> span.end(failure));
                    if (failure != null && settlement.stopping()) {
                        return Uni.createFrom().voidItem(); // left unacknowledged, see settle
                    }
                    if (failure != null) {
                        LOG.debugf("%s: a batch of %d failed (%s); handling its records one by one", batch.get(0).consumer(),
                                batch.size(), failure.toString());
                        return Multi.createFrom().iterable(batch).onItem().transformToUniAndConcatenate(this::handleAlone)
                                .collect().last().replaceWithVoid();
                    }
                    if (published.stream().anyMatch(events -> !events.isEmpty())) {
                        relay.wakeUp();
                    }
                    return Multi.createFrom().iterable(batch)
                            .onItem().transformToUniAndConcatenate(p -> settlement.settle(p.consumer(), p.topic(), p.record(), null))
                            .collect().last().replaceWithVoid();
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One record in its own transaction, retried with backoff; acknowledged after the commit, else dead-lettered. */
    private Uni<Void> handleAlone(PendingRecord p) {
        Tracing.Step span = span(p);
        EventEnvelope envelope = p.envelope();
        return transactions.run(tx -> {
                    Object state = p.perTransaction().begin();
                    return firstDeliveries(tx, List.of(p)).chain(first -> handle(tx, p, state, span, first[0]))
                            .call(() -> p.perTransaction().beforeCommit(tx, state));
                })
                // Transient failures are retried for as long as they last (capped backoff with jitter); only poison
                // leaves, to the dead-letter topic. A service that is stopping fails for want of a pool: no use retrying.
                .onFailure().invoke(failure -> noteFailure(p, failure))
                .onFailure(failure -> !settlement.stopping() && !Failures.isPoison(failure))
                .retry().withBackOff(Duration.ofMillis(50), maxBackoff).withJitter(0.5).atMost(Long.MAX_VALUE)
                .invoke(published -> {
                    if (!published.isEmpty()) {
                        relay.wakeUp();
                    }
                })
                .onFailure(failure -> !settlement.stopping()).invoke(failure -> LOG.errorf(failure,
                        "%s cannot process %s %s of order %s (trace %s): poison, sent to the dead-letter topic",
                        p.consumer(), envelope.type(), envelope.eventId(), envelope.orderId(), span.traceId()))
                .onTermination().invoke((ok, failure, cancelled) -> span.end(failure))
                .onTermination().invoke(() -> attempts.remove(envelope.eventId()))
                .onItemOrFailure().transformToUni((ok, failure) -> settlement.settle(p.consumer(), p.topic(), p.record(), failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Counts a failed attempt; logs the first of a record and then every tenth, so a long outage does not flood the log. */
    private void noteFailure(PendingRecord p, Throwable failure) {
        if (settlement.stopping() || Failures.isPoison(failure)) {
            return;
        }
        metrics.counter("sagashop.consumer.retries", "consumer", p.consumer()).increment();
        int attempt = attempts.merge(p.envelope().eventId(), 1, Integer::sum);
        if (attempt == 1 || attempt % 10 == 0) {
            LOG.warnf("%s: %s of order %s failed (attempt %d), retrying: %s", p.consumer(), p.envelope().type(),
                    p.envelope().orderId(), attempt, failure.toString());
        }
    }

    /** Records the records' inbox rows; for each, whether it is delivered for the first time. */
    private Uni<boolean[]> firstDeliveries(SqlTransaction tx, List<PendingRecord> records) {
        return inbox.firstDeliveries(tx, records.stream().map(PendingRecord::consumer).toList(),
                records.stream().map(p -> p.envelope().eventId()).toList());
    }

    /** The record's share of a transaction, its inbox row recorded: on first delivery the step; returns what it appended. */
    private Uni<List<EventEnvelope>> handle(SqlTransaction tx, PendingRecord p, Object state, Tracing.Step span, boolean first) {
        return first ? p.step().apply(tx, state, p.envelope(), p.event(), span.traceparent())
                : Uni.createFrom().item(List.<EventEnvelope>of());
    }

    /** The handling's span: a child of the span that published the record. */
    private Tracing.Step span(PendingRecord p) {
        Tracing.Step span = tracing.start(p.consumer() + " handles " + p.envelope().type(), SpanKind.CONSUMER, p.traceparent());
        span.span().setAttribute("sagashop.order_id", p.envelope().orderId());
        return span;
    }
}
