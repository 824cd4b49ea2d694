package io.sagashop.platform.messaging;

import io.sagashop.platform.config.SagaShopConfig;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventCodec.MalformedEventException;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.EventType;
import io.sagashop.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.sagashop.contracts.events.SagaEvent;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sagashop.contracts.Headers;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How every saga consumer handles Kafka records: parse each (a record that cannot be parsed is poison and goes to the
 * dead-letter topic at once), drop the types the consumer does not react to (no transaction for them), and hand the
 * rest to a {@link BatchDispatcher}: the records of a batch are handled in ONE database transaction — record them all
 * in the inbox (one statement), then for each record delivered for the first time, in order, apply the service's
 * step and append the resulting events to the outbox,
 * then the consumer's {@link PerTransaction} work if it has any — and acknowledged only after the commit (the
 * connector commits an offset only when every record before it was acknowledged). If a batch fails, its records are handled again one transaction each: a transient failure is retried with
 * backoff until it passes, and only a poison record ({@link Failures}) goes to the dead-letter topic, alone.
 */
@ApplicationScoped
public class EventProcessor {

    private static final Logger LOG = Logger.getLogger(EventProcessor.class);

    /**
     * A service's reaction to one event, run inside the transaction. It appends the events it causes through
     * {@link Outbox} (participants with {@code append}, the event-sourced order with {@code appendAfter} its version)
     * and returns what it appended.
     */
    @FunctionalInterface
    public interface Step {
        /** @param traceparent the trace context of this handling: the events it causes carry it */
        Uni<List<EventEnvelope>> apply(SqlConnection tx, EventEnvelope envelope, SagaEvent event, String traceparent);
    }

    /**
     * A participant's reaction to one event, run inside the transaction: returns the events it causes, which are
     * appended after the order's last event in this service.
     */
    @FunctionalInterface
    public interface ParticipantStep {
        Uni<List<SagaEvent>> decide(SqlConnection tx, EventEnvelope envelope, SagaEvent event);
    }

    /**
     * For a consumer whose records share work best done once per transaction rather than once per record (the read
     * model's summary rows, which every order moves): {@link #begin} makes fresh state for each transaction (a retried
     * or re-run transaction starts anew), each record's step adds to it, and {@link #beforeCommit} writes it.
     */
    public interface PerTransaction<S> {
        S begin();

        Uni<Void> beforeCommit(SqlConnection tx, S state);
    }

    /** A step that adds to its transaction's {@link PerTransaction} state. */
    @FunctionalInterface
    public interface BatchStep<S> {
        Uni<List<EventEnvelope>> apply(SqlConnection tx, S state, EventEnvelope envelope, SagaEvent event, String traceparent);
    }

    /** The per-transaction work of a consumer that has none. */
    private static final PerTransaction<Object> NOTHING = new PerTransaction<>() {
        @Override
        public Object begin() {
            return NOTHING;
        }

        @Override
        public Uni<Void> beforeCommit(SqlConnection tx, Object state) {
            return Uni.createFrom().voidItem();
        }
    };

    /** A parsed record waiting for its batch. */
    private record Pending(String consumer, String topic, Message<String> record, EventEnvelope envelope, SagaEvent event,
                           String traceparent, PerTransaction<Object> perTransaction, BatchStep<Object> step) {
    }

    private final Pool pool;
    private final Inbox inbox;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final Duration maxBackoff;
    /** Failed attempts of the records being retried now, by event id (removed when the record settles). */
    private final ConcurrentHashMap<java.util.UUID, Integer> attempts = new ConcurrentHashMap<>();
    private final int concurrency;
    private final int batchSize;
    private final int maxPending;
    /** One per consumer: its batches in flight and admission. */
    private final ConcurrentHashMap<String, BatchDispatcher<Pending>> dispatchers = new ConcurrentHashMap<>();

    private final Tracing tracing;
    private final MeterRegistry metrics;

    EventProcessor(Pool pool, Inbox inbox, Outbox outbox, OutboxRelay relay, Tracing tracing, MeterRegistry metrics,
                   SagaShopConfig config) {
        this.pool = pool;
        this.inbox = inbox;
        this.outbox = outbox;
        this.relay = relay;
        this.tracing = tracing;
        this.metrics = metrics;
        this.maxBackoff = config.consumer().maxBackoff();
        this.concurrency = config.consumer().concurrency();
        this.batchSize = config.consumer().batchSize();
        this.maxPending = config.consumer().maxPending();
    }

    private volatile boolean stopping;

    void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Entry point of every {@code @Incoming} method. The returned Uni completes once the record is admitted (not when
     * it is handled), so the connector keeps feeding the batches; it waits while the consumer is saturated.
     *
     * @param consumer the inbox name of this consumer (e.g. {@code inventory}); two consumers in one service that
     *                 see the same event need different names
     * @param reactsTo the event types the step does anything for: the others are acknowledged without a transaction
     */
    public Uni<Void> dispatch(String consumer, Message<String> record, Set<EventType> reactsTo, Step step) {
        return dispatch(consumer, record, reactsTo, NOTHING,
                (tx, state, envelope, event, traceparent) -> step.apply(tx, envelope, event, traceparent));
    }

    /**
     * {@link #dispatch(String, Message, Set, Step)} for a consumer with per-transaction work: pass the same
     * {@code perTransaction} for every record, so that a batch's records share one state.
     */
    @SuppressWarnings("unchecked")
    public <S> Uni<Void> dispatch(String consumer, Message<String> record, Set<EventType> reactsTo,
                                  PerTransaction<S> perTransaction, BatchStep<S> step) {
        var metadata = record.getMetadata(IncomingKafkaRecordMetadata.class);
        String topic = metadata.map(IncomingKafkaRecordMetadata::getTopic).orElse("");
        // The type header spares parsing the many records a consumer only skips.
        String typeHeader = metadata.map(m -> RecordHeaders.value(m.getHeaders(), Headers.TYPE)).orElse(null);
        if (typeHeader != null && EventType.fromWireName(typeHeader).filter(t -> !reactsTo.contains(t)).isPresent()) {
            return Uni.createFrom().completionStage(record.ack());
        }
        EventEnvelope envelope;
        SagaEvent event;
        try {
            envelope = EventCodec.fromJson(record.getPayload());
            Optional<EventType> type = EventType.fromWireName(envelope.type());
            if (type.isEmpty() || !reactsTo.contains(type.get())) {
                // Not for this consumer, or a newer producer's event type: not ours to understand, not poison either.
                LOG.debugf("%s skips event type %s", consumer, envelope.type());
                return Uni.createFrom().completionStage(record.ack());
            }
            event = EventCodec.payload(envelope);
        } catch (MalformedEventException e) {
            return settle(consumer, topic, record, e);
        }
        // Records are keyed by order id; one without a key is ordered by the order id it carries.
        String key = metadata.map(IncomingKafkaRecordMetadata::getKey).map(Object::toString).orElse(envelope.orderId());
        String traceparent = metadata.map(m -> Tracing.traceparent(m.getHeaders())).orElse(null);
        return dispatchers.computeIfAbsent(consumer, c -> {
                    // How many records a transaction carries: 1 when idle, more under load.
                    DistributionSummary sizes = DistributionSummary.builder("sagashop.consumer.batch.size").tag("consumer", c)
                            .description("records handled in one transaction").register(metrics);
                    return new BatchDispatcher<Pending>(concurrency, batchSize, maxPending, batch -> {
                        sizes.record(batch.size());
                        return handleBatch(batch);
                    });
                })
                .submit(key == null ? "" : key, new Pending(consumer, topic, record, envelope, event, traceparent,
                        (PerTransaction<Object>) perTransaction, (BatchStep<Object>) step));
    }

    /** {@link #dispatch} for a participant whose step returns the events to publish. */
    public Uni<Void> dispatchParticipant(String consumer, Message<String> record, Set<EventType> reactsTo, ParticipantStep step) {
        return dispatch(consumer, record, reactsTo, (tx, envelope, event, traceparent) -> step.decide(tx, envelope, event)
                .chain(events -> outbox.append(tx, envelope.orderId(), events, traceparent)));
    }

    /** One transaction for the whole batch; if it fails, every record again on its own. Never fails. */
    private Uni<Void> handleBatch(List<Pending> batch) {
        if (batch.size() == 1) {
            return handleAlone(batch.get(0));
        }
        List<Tracing.Step> spans = new ArrayList<>(batch.size());
        return pool.withTransaction(tx -> {
                    Map<PerTransaction<Object>, Object> states = new IdentityHashMap<>();
                    // The batch's inbox rows in one statement, then the steps of the records delivered for the first time.
                    return firstDeliveries(tx, batch)
                            .chain(first -> Multi.createFrom().range(0, batch.size())
                                    .onItem().transformToUniAndConcatenate(i -> {
                                        Pending p = batch.get(i);
                                        Tracing.Step span = span(p);
                                        spans.add(span);
                                        return handle(tx, p, states.computeIfAbsent(p.perTransaction(), PerTransaction::begin), span, first[i]);
                                    })
                                    .collect().asList())
                            .call(() -> Multi.createFrom().iterable(states.entrySet())
                                    .onItem().transformToUniAndConcatenate(s -> s.getKey().beforeCommit(tx, s.getValue()))
                                    .collect().last());
                })
                .onItemOrFailure().transformToUni((published, failure) -> {
                    spans.forEach(span -> span.end(failure));
                    if (failure != null && stopping) {
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
                            .onItem().transformToUniAndConcatenate(p -> settle(p.consumer(), p.topic(), p.record(), null))
                            .collect().last().replaceWithVoid();
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One record in its own transaction, retried with backoff; acknowledged after the commit, else dead-lettered. */
    private Uni<Void> handleAlone(Pending p) {
        Tracing.Step span = span(p);
        EventEnvelope envelope = p.envelope();
        return pool.withTransaction(tx -> {
                    Object state = p.perTransaction().begin();
                    return firstDeliveries(tx, List.of(p)).chain(first -> handle(tx, p, state, span, first[0]))
                            .call(() -> p.perTransaction().beforeCommit(tx, state));
                })
                // Transient failures are retried for as long as they last (capped backoff with jitter); only poison
                // leaves, to the dead-letter topic. A service that is stopping fails for want of a pool: no use retrying.
                .onFailure().invoke(failure -> noteFailure(p, failure))
                .onFailure(failure -> !stopping && !Failures.isPoison(failure))
                .retry().withBackOff(Duration.ofMillis(50), maxBackoff).withJitter(0.5).atMost(Long.MAX_VALUE)
                .invoke(published -> {
                    if (!published.isEmpty()) {
                        relay.wakeUp();
                    }
                })
                .onFailure(failure -> !stopping).invoke(failure -> LOG.errorf(failure,
                        "%s cannot process %s %s of order %s (trace %s): poison, sent to the dead-letter topic",
                        p.consumer(), envelope.type(), envelope.eventId(), envelope.orderId(), span.traceId()))
                .onTermination().invoke((ok, failure, cancelled) -> span.end(failure))
                .onTermination().invoke(() -> attempts.remove(envelope.eventId()))
                .onItemOrFailure().transformToUni((ok, failure) -> settle(p.consumer(), p.topic(), p.record(), failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Counts a failed attempt; logs the first of a record and then every tenth, so a long outage does not flood the log. */
    private void noteFailure(Pending p, Throwable failure) {
        if (stopping || Failures.isPoison(failure)) {
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
    private Uni<boolean[]> firstDeliveries(SqlConnection tx, List<Pending> records) {
        return inbox.firstDeliveries(tx, records.stream().map(Pending::consumer).toList(),
                records.stream().map(p -> p.envelope().eventId()).toList());
    }

    /** The record's share of a transaction, its inbox row recorded: on first delivery the step; returns what it appended. */
    private Uni<List<EventEnvelope>> handle(SqlConnection tx, Pending p, Object state, Tracing.Step span, boolean first) {
        return first ? p.step().apply(tx, state, p.envelope(), p.event(), span.traceparent())
                : Uni.createFrom().item(List.<EventEnvelope>of());
    }

    /** Acknowledges a handled record, or hands a failed one to the dead-letter topic. */
    private Uni<Void> settle(String consumer, String topic, Message<String> record, Throwable failure) {
        if (failure == null) {
            return Uni.createFrom().completionStage(record.ack());
        }
        // Failing because the service is stopping (its pool is closed) says nothing about the record: leave it
        // unacknowledged, so its offset is not committed and the next start processes it.
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(record.nack(failure))
                .invoke(() -> metrics.counter("sagashop.dead.letters", "consumer", consumer, "topic", topic).increment());
    }

    /** The handling's span: a child of the span that published the record. */
    private Tracing.Step span(Pending p) {
        Tracing.Step span = tracing.start(p.consumer() + " handles " + p.envelope().type(), SpanKind.CONSUMER, p.traceparent());
        span.span().setAttribute("sagashop.order_id", p.envelope().orderId());
        return span;
    }

    /**
     * For commands (REST, schedulers): runs work in a transaction, retried against fresh state when it lost a race
     * (unique violation, serialization failure), and wakes the relay after the commit.
     */
    public <T> Uni<T> inTransaction(java.util.function.Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work)
                .onFailure(Conflicts::isConflict).retry().withBackOff(Duration.ofMillis(10), Duration.ofMillis(200)).atMost(10)
                .invoke(relay::wakeUp);
    }
}
