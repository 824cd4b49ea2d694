package io.sagashop.platform.messaging;

import io.sagashop.platform.config.SagaShopConfig;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Headers;
import io.sagashop.platform.store.AdvisoryLock;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the events queued in {@code outbox} to Kafka in position order, then dequeues them.
 * <ul>
 * <li>Per-order order holds without a high-water mark: one order's events in a service are appended one
 * transaction after another ({@code unique(stream_id, version)} makes a concurrent writer fail and retry), so a later
 * event of an order always has a higher position and commits later. A row of another order that commits late (a gap
 * in positions) is simply found in the queue by a later run, never skipped.</li>
 * <li>One relay is active per database: it holds a session-level advisory lock on a connection it keeps, and runs on
 * that connection without a transaction: read the queued positions, send, delete them (two statements a run, where a
 * transaction-scoped lock took five). Replicas that do not hold the lock try again every poll; the lock goes with the
 * holder's connection when it stops, dies or hangs ({@link AdvisoryLock}: a session idle for
 * {@code sagashop.lock.idle-timeout} is ended by PostgreSQL; a live holder runs a query every poll).</li>
 * <li>Events this process appended are kept in memory by position ({@link #appended}), so a run reads only the queued
 * positions and not the events again. The queue decides what is sent: an entry of a transaction that has not
 * committed, or rolled back, is never used (positions are never reused); events not in memory (appended by another
 * process, or before a restart) are read from the log.</li>
 * <li>The producer is idempotent with {@code acks=all}. A crash after sending but before dequeuing republishes the
 * batch; consumers drop the duplicates by event id (inbox).</li>
 * </ul>
 * It polls every {@code sagashop.outbox.poll-interval} and runs at once when a local transaction wrote events.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long RELAY_LOCK = 0x5a6a5e0L;
    /** Entries of transactions that rolled back are never asked for: forgotten after this long. */
    private static final long FORGET_AFTER_NANOS = Duration.ofSeconds(60).toNanos();
    /** Beyond this many entries nothing more is kept in memory (a relay that is far behind reads the log). */
    private static final int MAX_KEPT = 20_000;

    private static final String QUEUED = "select position from outbox order by position limit $1";
    private static final String EVENTS_AT = "select " + EventLog.COLUMNS + " from events e where e.position = any($1)";

    /** An event appended by this process, as it will be published. */
    private record Appended(EventEnvelope envelope, String topic, String traceparent, long atNanos) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final String bootstrapServers;
    private final int batchSize;
    private final Duration pollInterval;
    private final boolean enabled;
    private final Duration lockIdleTimeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong backlog = new java.util.concurrent.atomic.AtomicLong();
    private final io.micrometer.core.instrument.Counter published;
    private final ConcurrentHashMap<Long, Appended> appended = new ConcurrentHashMap<>();
    private volatile KafkaProducer<String, String> producer;
    /** The connection holding the relay lock; only touched by a run (one at a time). */
    private volatile SqlConnection holder;
    private volatile boolean holding;
    private long lastForget = System.nanoTime();
    private volatile long timerId = -1;
    private volatile boolean stopped;

    OutboxRelay(Pool pool, Vertx vertx,
                @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                SagaShopConfig config, io.micrometer.core.instrument.MeterRegistry metrics) {
        this.pool = pool;
        this.vertx = vertx;
        this.bootstrapServers = bootstrapServers;
        this.batchSize = config.outbox().batchSize();
        this.pollInterval = config.outbox().pollInterval();
        this.enabled = config.outbox().relayEnabled();
        this.lockIdleTimeout = config.lock().idleTimeout();
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
        holding = false;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Keeps an event appended at {@code position} in the caller's transaction, so that a run need not read it back.
     * Called before the commit: the entry is used only once the position shows up in the queue, i.e. committed.
     */
    public void appended(long position, EventEnvelope envelope, String topic, String traceparent) {
        if (holding && appended.size() < MAX_KEPT) {
            appended.put(position, new Appended(envelope, topic, traceparent, System.nanoTime()));
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
        publishHoldingRun().subscribe().with(
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

    /**
     * Publishes one batch now; returns how many events were published (0 also when another replica holds the lock, or
     * a run is under way in this process: runs share the lock's connection, one at a time).
     */
    public Uni<Integer> publishBatch() {
        return Uni.createFrom().deferred(() -> {
            if (stopped || !running.compareAndSet(false, true)) {
                return Uni.createFrom().item(0);
            }
            return publishHoldingRun().onTermination().invoke(() -> running.set(false));
        });
    }

    /** One run; the caller holds {@code running}. */
    private Uni<Integer> publishHoldingRun() {
        return lock().chain(connection -> connection == null ? Uni.createFrom().item(0)
                : publishQueued(connection).onFailure().call(this::release));
    }

    /** The connection holding the relay lock, taken now if need be; null while another process holds it. */
    private Uni<SqlConnection> lock() {
        if (holder != null) {
            return Uni.createFrom().item(holder);
        }
        return AdvisoryLock.tryTake(pool, RELAY_LOCK, lockIdleTimeout).invoke(connection -> {
            if (connection != null) {
                holder = connection;
                holding = true;
            }
        });
    }

    /** Gives the lock up and the connection back to the pool (a failed run: the next one starts afresh). */
    private Uni<Void> release() {
        SqlConnection connection = holder;
        holder = null;
        holding = false;
        appended.clear();
        return AdvisoryLock.release(connection);
    }

    private Uni<Integer> publishQueued(SqlConnection connection) {
        forgetOld();
        return connection.preparedQuery(QUEUED).execute(Tuple.of(batchSize)).chain(rows -> {
            List<Long> positions = new ArrayList<>(rows.size());
            rows.forEach(r -> positions.add(r.getLong("position")));
            if (positions.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            Long[] queued = positions.toArray(Long[]::new);
            return events(connection, positions)
                    .chain(events -> send(events))
                    .chain(() -> connection.preparedQuery("delete from outbox where position = any($1)").execute(Tuple.of((Object) queued)))
                    .invoke(() -> {
                        positions.forEach(appended::remove);
                        published.increment(positions.size());
                    })
                    .replaceWith(positions.size());
        });
    }

    /** The queued events in position order: from memory where this process appended them, else from the log. */
    private Uni<List<Appended>> events(SqlConnection connection, List<Long> positions) {
        Long[] missing = positions.stream().filter(p -> !appended.containsKey(p)).toArray(Long[]::new);
        Uni<Map<Long, Appended>> fromLog = missing.length == 0 ? Uni.createFrom().item(Map.of())
                : connection.preparedQuery(EVENTS_AT).execute(Tuple.of((Object) missing)).map(rows -> {
                    Map<Long, Appended> read = new HashMap<>();
                    for (Row row : rows) {
                        read.put(row.getLong("position"), new Appended(EventLog.envelope(row), row.getString("topic"),
                                row.getString("traceparent"), 0));
                    }
                    return read;
                });
        return fromLog.map(read -> {
            List<Appended> events = new ArrayList<>(positions.size());
            for (Long position : positions) {
                Appended event = appended.get(position);
                events.add(event != null ? event : read.get(position));
            }
            return events;
        });
    }

    /** Drops, now and then, what transactions that rolled back left in memory. */
    private void forgetOld() {
        long now = System.nanoTime();
        if (now - lastForget > FORGET_AFTER_NANOS / 6) {
            lastForget = now;
            appended.values().removeIf(e -> now - e.atNanos() > FORGET_AFTER_NANOS);
        }
    }

    /** Sends in position order and waits for every acknowledgement (off the event loop: the producer may block). */
    private Uni<Void> send(List<Appended> batch) {
        return Uni.createFrom().item(() -> {
            KafkaProducer<String, String> kafka = producer();
            List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
            for (Appended event : batch) {
                EventEnvelope envelope = event.envelope();
                ProducerRecord<String, String> record = new ProducerRecord<>(event.topic(), envelope.orderId(), EventCodec.toJson(envelope));
                record.headers().add(Headers.TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
                record.headers().add(Headers.EVENT_ID, envelope.eventId().toString().getBytes(StandardCharsets.UTF_8));
                if (event.traceparent() != null) {
                    record.headers().add(Headers.TRACEPARENT, event.traceparent().getBytes(StandardCharsets.UTF_8));
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
