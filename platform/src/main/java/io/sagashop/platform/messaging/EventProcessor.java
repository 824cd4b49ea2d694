package io.sagashop.platform.messaging;

import io.sagashop.platform.config.SagaShopConfig;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventCodec.MalformedEventException;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.EventType;
import io.sagashop.platform.tracing.Tracing;
import io.sagashop.contracts.events.SagaEvent;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.sagashop.contracts.Headers;
import io.sagashop.platform.store.Transactions;
import io.sagashop.platform.store.SqlTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where every saga consumer's Kafka records come in: parse each (a record that cannot be parsed is poison and goes to
 * the dead-letter topic at once), drop the types the consumer does not react to (no transaction for them), and hand
 * the rest to the consumer's {@link BatchDispatcher}, which runs them as {@link BatchTransactions} (one order's records
 * in order). Also the transactions of commands ({@link #inTransaction}).
 */
@ApplicationScoped
public class EventProcessor {

    private static final Logger LOG = Logger.getLogger(EventProcessor.class);

    /**
     * A service's reaction to one event, run inside the transaction. It appends the events it causes through
     * {@link EventLog} (participants with {@code append}, the event-sourced order with {@code appendAfter} its version)
     * and returns what it appended.
     */
    @FunctionalInterface
    public interface Step {
        /** @param traceparent the trace context of this handling: the events it causes carry it */
        Uni<List<EventEnvelope>> apply(SqlTransaction tx, EventEnvelope envelope, SagaEvent event, String traceparent);
    }

    /**
     * A participant's reaction to one event, run inside the transaction: returns the events it causes, which are
     * appended after the order's last event in this service.
     */
    @FunctionalInterface
    public interface ParticipantStep {
        Uni<List<SagaEvent>> decide(SqlTransaction tx, EventEnvelope envelope, SagaEvent event);
    }

    /**
     * For a consumer whose records share work best done once per transaction rather than once per record (the read
     * model's summary rows, which every order moves): {@link #begin} makes fresh state for each transaction (a retried
     * or re-run transaction starts anew), each record's step adds to it, and {@link #beforeCommit} writes it.
     */
    public interface PerTransaction<S> {
        S begin();

        Uni<Void> beforeCommit(SqlTransaction tx, S state);
    }

    /** A step that adds to its transaction's {@link PerTransaction} state. */
    @FunctionalInterface
    public interface BatchStep<S> {
        Uni<List<EventEnvelope>> apply(SqlTransaction tx, S state, EventEnvelope envelope, SagaEvent event, String traceparent);
    }

    /** The per-transaction work of a consumer that has none. */
    private static final PerTransaction<Object> NOTHING = new PerTransaction<>() {
        @Override
        public Object begin() {
            return NOTHING;
        }

        @Override
        public Uni<Void> beforeCommit(SqlTransaction tx, Object state) {
            return Uni.createFrom().voidItem();
        }
    };

    private final Transactions transactions;
    private final EventLog eventLog;
    private final OutboxRelay relay;
    private final BatchTransactions batches;
    private final RecordSettlement settlement;
    private final MeterRegistry metrics;
    private final int concurrency;
    private final int batchSize;
    private final int maxPending;
    /** One per consumer: its batches in flight and admission. */
    private final ConcurrentHashMap<String, BatchDispatcher<PendingRecord>> dispatchers = new ConcurrentHashMap<>();

    EventProcessor(Transactions transactions, EventLog eventLog, OutboxRelay relay, BatchTransactions batches,
                   RecordSettlement settlement, MeterRegistry metrics, SagaShopConfig config) {
        this.eventLog = eventLog;
        this.relay = relay;
        this.transactions = transactions;
        this.batches = batches;
        this.settlement = settlement;
        this.metrics = metrics;
        this.concurrency = config.consumer().concurrency();
        this.batchSize = config.consumer().batchSize();
        this.maxPending = config.consumer().maxPending();
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
            return settlement.settle(consumer, topic, record, e);
        }
        // Records are keyed by order id; one without a key is ordered by the order id it carries.
        String key = metadata.map(IncomingKafkaRecordMetadata::getKey).map(Object::toString).orElse(envelope.orderId());
        String traceparent = metadata.map(m -> Tracing.traceparent(m.getHeaders())).orElse(null);
        return dispatchers.computeIfAbsent(consumer, c -> {
                    // How many records a transaction carries: 1 when idle, more under load.
                    DistributionSummary sizes = DistributionSummary.builder("sagashop.consumer.batch.size").tag("consumer", c)
                            .description("records handled in one transaction").register(metrics);
                    return new BatchDispatcher<PendingRecord>(concurrency, batchSize, maxPending, batch -> {
                        sizes.record(batch.size());
                        return batches.handle(batch);
                    });
                })
                .submit(key == null ? "" : key, new PendingRecord(consumer, topic, record, envelope, event, traceparent,
                        (PerTransaction<Object>) perTransaction, (BatchStep<Object>) step));
    }

    /** {@link #dispatch} for a participant whose step returns the events to publish. */
    public Uni<Void> dispatchParticipant(String consumer, Message<String> record, Set<EventType> reactsTo, ParticipantStep step) {
        return dispatch(consumer, record, reactsTo, (tx, envelope, event, traceparent) -> step.decide(tx, envelope, event)
                .chain(events -> eventLog.append(tx, envelope.orderId(), events, traceparent)));
    }

    /**
     * For commands (REST, schedulers): runs work in a transaction, retried against fresh state when it lost a race
     * (unique violation, serialization failure), and wakes the relay after the commit.
     */
    public <T> Uni<T> inTransaction(java.util.function.Function<SqlTransaction, Uni<T>> work) {
        return transactions.run(work)
                .onFailure(Conflicts::isConflict).retry().withBackOff(Duration.ofMillis(10), Duration.ofMillis(200)).atMost(10)
                .invoke(relay::wakeUp);
    }
}
