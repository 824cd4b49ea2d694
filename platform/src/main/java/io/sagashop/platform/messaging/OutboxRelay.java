package io.sagashop.platform.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Headers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the events queued in {@code outbox} to Kafka in position order, then dequeues them, in one database
 * transaction.
 * <ul>
 * <li>Per-order order holds without a high-water mark: one order's events in a service are appended one
 * transaction after another ({@code unique(stream_id, version)} makes a concurrent writer fail and retry), so a later
 * event of an order always has a higher position and commits later. A row of another order that commits late (a gap
 * in positions) is simply found in the queue by a later run, never skipped.</li>
 * <li>A transaction-scoped advisory lock makes one relay active per database, so replicas cannot interleave one
 * order's events.</li>
 * <li>The producer is idempotent with {@code acks=all}. A crash after sending but before dequeuing republishes the
 * batch; consumers drop the duplicates by event id (inbox).</li>
 * </ul>
 * It polls every {@code sagashop.outbox.poll-interval} and runs at once when a local transaction wrote events.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long RELAY_LOCK = 0x5a6a5e0L;

    // Positions first, then their events by primary key: a plain join lets the planner, misled by the queue's churn,
    // hash-join against a sequential scan of the whole (ever growing) event log on every run.
    private static final String PENDING = "select " + Outbox.COLUMNS
            + " from events e where e.position = any(array(select position from outbox order by position limit $1))"
            + " order by e.position";

    private final Pool pool;
    private final Vertx vertx;
    private final String bootstrapServers;
    private final int batchSize;
    private final Duration pollInterval;
    private final boolean enabled;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong backlog = new java.util.concurrent.atomic.AtomicLong();
    private final io.micrometer.core.instrument.Counter published;
    private volatile KafkaProducer<String, String> producer;
    private volatile long timerId = -1;
    private volatile boolean stopped;

    OutboxRelay(Pool pool, Vertx vertx,
                @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                @ConfigProperty(name = "sagashop.outbox.batch-size", defaultValue = "500") int batchSize,
                @ConfigProperty(name = "sagashop.outbox.poll-interval", defaultValue = "200ms") Duration pollInterval,
                @ConfigProperty(name = "sagashop.outbox.relay-enabled", defaultValue = "true") boolean enabled,
                io.micrometer.core.instrument.MeterRegistry metrics) {
        this.pool = pool;
        this.vertx = vertx;
        this.bootstrapServers = bootstrapServers;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.enabled = enabled;
        this.published = metrics.counter("sagashop.outbox.published");
        // Events committed but not yet on Kafka: grows when the broker is away, and tells how far behind the relay is.
        metrics.gauge("sagashop.outbox.backlog", backlog);
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            schedule(0);
        }
        vertx.setPeriodic(2000, id -> pool.query("select count(*) as n from outbox").execute()
                .subscribe().with(rows -> backlog.set(rows.iterator().next().getLong("n")), failure -> {
                }));
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks for a run as soon as possible (after a local commit that wrote events). */
    public void wakeUp() {
        wakeRequested.set(true);
        long timer = timerId;
        if (timer >= 0 && vertx.cancelTimer(timer)) {
            timerId = -1;
            runOnce();
        }
    }

    private void schedule(long delayMillis) {
        if (stopped) {
            return;
        }
        if (delayMillis <= 0 || wakeRequested.get()) {
            vertx.runOnContext(this::runOnce);
        } else {
            timerId = vertx.setTimer(delayMillis, id -> {
                timerId = -1;
                runOnce();
            });
        }
    }

    private void runOnce() {
        if (stopped || !running.compareAndSet(false, true)) {
            return;
        }
        wakeRequested.set(false);
        publishBatch().subscribe().with(
                published -> {
                    running.set(false);
                    schedule(published >= batchSize ? 0 : pollInterval.toMillis());
                },
                failure -> {
                    running.set(false);
                    LOG.warnf("outbox relay: %s; retrying in 1 s", failure.toString());
                    schedule(1000);
                });
    }

    /** Publishes one batch; returns how many events were published. */
    public Uni<Integer> publishBatch() {
        // The lock and the read go out pipelined, one round trip. The read runs after the lock statement (PostgreSQL
        // runs a connection's statements in the order sent), so its snapshot is taken holding the lock, and without
        // the lock its rows are ignored.
        return pool.withTransaction(tx -> Uni.combine().all().unis(
                        tx.preparedQuery("select pg_try_advisory_xact_lock($1) as mine").execute(Tuple.of(RELAY_LOCK)),
                        tx.preparedQuery(PENDING).execute(Tuple.of(batchSize)))
                .asTuple()
                .chain(read -> read.getItem1().iterator().next().getBoolean("mine") ? publishPending(tx, read.getItem2())
                        : Uni.createFrom().item(0)));
    }

    private Uni<Integer> publishPending(SqlConnection tx, RowSet<Row> rows) {
        List<Row> batch = new ArrayList<>();
        rows.forEach(batch::add);
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Long[] positions = batch.stream().map(r -> r.getLong("position")).toArray(Long[]::new);
        return send(batch)
                .chain(() -> tx.preparedQuery("delete from outbox where position = any($1)").execute(Tuple.of(positions)))
                .invoke(() -> published.increment(batch.size()))
                .replaceWith(batch.size());
    }

    /** Sends in position order and waits for every acknowledgement (off the event loop: the producer may block). */
    private Uni<Void> send(List<Row> batch) {
        return Uni.createFrom().item(() -> {
            KafkaProducer<String, String> kafka = producer();
            List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
            for (Row row : batch) {
                EventEnvelope envelope = Outbox.envelope(row);
                ProducerRecord<String, String> record = new ProducerRecord<>(row.getString("topic"),
                        envelope.orderId(), EventCodec.toJson(envelope));
                record.headers().add(Headers.TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
                record.headers().add(Headers.EVENT_ID, envelope.eventId().toString().getBytes(StandardCharsets.UTF_8));
                String traceparent = row.getString("traceparent");
                if (traceparent != null) {
                    record.headers().add(Headers.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
                }
                CompletableFuture<Void> ack = new CompletableFuture<>();
                kafka.send(record, (metadata, error) -> {
                    if (error == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(error);
                    }
                });
                acks.add(ack);
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                            ProducerConfig.LINGER_MS_CONFIG, 1,
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30000,
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000,
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000),
                            new StringSerializer(), new StringSerializer());
                }
                current = producer;
            }
        }
        return current;
    }
}
