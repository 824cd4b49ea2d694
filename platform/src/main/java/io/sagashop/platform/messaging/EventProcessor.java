package io.sagashop.platform.messaging;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventCodec.MalformedEventException;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.EventType;
import io.sagashop.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.sagashop.contracts.events.SagaEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * How every saga consumer handles one Kafka record: parse it (a record that cannot be parsed is poison and fails at
 * once, so the connector sends it to the dead-letter topic), then in ONE database transaction record it in the inbox,
 * apply the service's step and append the resulting events to the outbox. The returned {@code Uni} completes only
 * after the commit, and the connector commits the Kafka offset only after that. Transient failures (a lost race,
 * a database hiccup) are retried with backoff before the record is given up to the dead-letter topic.
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

    private final Pool pool;
    private final Inbox inbox;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final int retries;
    private final int maxInFlight;
    /** One per consumer and topic: a record waiting for another topic's record must never queue behind it. */
    private final java.util.concurrent.ConcurrentHashMap<String, KeyedDispatcher> dispatchers = new java.util.concurrent.ConcurrentHashMap<>();

    private final Tracing tracing;
    private final MeterRegistry metrics;

    EventProcessor(Pool pool, Inbox inbox, Outbox outbox, OutboxRelay relay, Tracing tracing, MeterRegistry metrics,
                   @ConfigProperty(name = "sagashop.consumer.retries", defaultValue = "8") int retries,
                   @ConfigProperty(name = "sagashop.consumer.max-in-flight", defaultValue = "64") int maxInFlight) {
        this.pool = pool;
        this.inbox = inbox;
        this.outbox = outbox;
        this.relay = relay;
        this.tracing = tracing;
        this.metrics = metrics;
        this.retries = retries;
        this.maxInFlight = maxInFlight;
    }

    private volatile boolean stopping;

    void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Entry point of every {@code @Incoming} method: records of different orders are processed concurrently, records
     * of one order on one topic one after another (per topic: payment's InventoryReserved may have to wait, retrying,
     * for the OrderPlaced that arrives on another topic). The record is acknowledged only after its transaction
     * committed, or handed to the dead-letter topic (nack) when it is poison or kept failing; the connector's
     * throttled commit strategy commits an offset only when every record before it was acknowledged.
     */
    public Uni<Void> dispatch(String consumer, Message<String> record, Step step) {
        var metadata = record.getMetadata(IncomingKafkaRecordMetadata.class);
        String key = metadata.map(m -> m.getKey() == null ? "" : m.getKey().toString()).orElse("");
        String topic = metadata.map(IncomingKafkaRecordMetadata::getTopic).orElse("");
        String traceparent = metadata.map(m -> Tracing.traceparent(m.getHeaders())).orElse(null);
        KeyedDispatcher dispatcher = dispatchers.computeIfAbsent(consumer + "/" + topic, t -> new KeyedDispatcher(maxInFlight));
        return dispatcher.submit(key, () -> process(consumer, record.getPayload(), traceparent, step)
                .onItemOrFailure().transformToUni((ok, failure) -> failure == null
                        ? Uni.createFrom().completionStage(record.ack())
                        // Failing because the service is stopping (its pool is closed) says nothing about the record:
                        // leave it unacknowledged, so its offset is not committed and the next start processes it.
                        : stopping ? Uni.createFrom().voidItem()
                        : Uni.createFrom().completionStage(record.nack(failure))
                        .invoke(() -> metrics.counter("sagashop.dead.letters", "consumer", consumer, "topic", topic).increment())));
    }

    /** {@link #dispatch(String, Message, Step)} for a participant whose step returns the events to publish. */
    public Uni<Void> dispatchParticipant(String consumer, Message<String> record, ParticipantStep step) {
        return dispatch(consumer, record, (tx, envelope, event, traceparent) -> step.decide(tx, envelope, event)
                .chain(events -> outbox.append(tx, envelope.orderId(), events, traceparent)));
    }

    /**
     * @param consumer the inbox name of this consumer (e.g. {@code inventory}); two consumers in one service that
     *                 see the same event need different names
     * @param traceparent the record's {@code traceparent} header: this handling is a child span of it
     */
    public Uni<Void> process(String consumer, String json, String traceparent, Step step) {
        EventEnvelope envelope;
        SagaEvent event;
        try {
            envelope = EventCodec.fromJson(json);
            if (EventType.fromWireName(envelope.type()).isEmpty()) {
                // A newer producer's event type: not ours to understand, not poison either.
                LOG.debugf("%s ignores unknown event type %s", consumer, envelope.type());
                return Uni.createFrom().voidItem();
            }
            event = EventCodec.payload(envelope);
        } catch (MalformedEventException e) {
            return Uni.createFrom().failure(e);
        }
        Tracing.Step span = tracing.start(consumer + " handles " + envelope.type(), SpanKind.CONSUMER, traceparent);
        span.span().setAttribute("sagashop.order_id", envelope.orderId());
        return pool.withTransaction(tx -> inbox.firstDelivery(tx, consumer, envelope.eventId())
                        .chain(first -> first ? step.apply(tx, envelope, event, span.traceparent()) : Uni.createFrom().item(List.<EventEnvelope>of())))
                .onFailure(failure -> !(failure instanceof MalformedEventException))
                .retry().withBackOff(Duration.ofMillis(50), Duration.ofSeconds(2)).atMost(retries)
                .invoke(published -> {
                    if (!published.isEmpty()) {
                        relay.wakeUp();
                    }
                })
                .onFailure().invoke(failure -> LOG.errorf(failure, "%s could not process %s %s of order %s (trace %s)",
                        consumer, envelope.type(), envelope.eventId(), envelope.orderId(), span.traceId()))
                .onTermination().invoke((ok, failure, cancelled) -> span.end(failure))
                .replaceWithVoid();
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
