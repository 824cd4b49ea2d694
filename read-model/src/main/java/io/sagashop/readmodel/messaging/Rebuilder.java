package io.sagashop.readmodel.messaging;

import io.sagashop.platform.config.SagaShopConfig;

import io.quarkus.runtime.StartupEvent;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.SagaEvent;
import io.sagashop.platform.messaging.Conflicts;
import io.sagashop.platform.tracing.Tracing;
import io.sagashop.readmodel.store.Generations;
import io.sagashop.readmodel.store.ProjectionStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sagashop.platform.store.Transactions;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rebuilds every view from scratch: registers a BUILDING generation (from then on the live projector feeds it too),
 * notes the end of every saga topic, replays the topics from their beginning up to those ends into the new generation,
 * and swaps it in atomically. Queries keep reading the old LIVE generation until the swap. Events that arrive during
 * the replay reach the new generation through the live projector; the replay may apply some of them again, which
 * changes nothing (a document is a function of its set of events).
 */
@ApplicationScoped
public class Rebuilder {

    private static final Logger LOG = Logger.getLogger(Rebuilder.class);

    private final Pool pool;
    private final Transactions transactions;
    private final Generations generations;
    private final ProjectionStore projection;
    private final Projector projector;
    private final String bootstrapServers;
    private final int concurrency;

    Rebuilder(Pool pool, Transactions transactions, Generations generations, ProjectionStore projection, Projector projector,
              @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
              SagaShopConfig config) {
        this.pool = pool;
        this.transactions = transactions;
        this.generations = generations;
        this.projection = projection;
        this.projector = projector;
        this.bootstrapServers = bootstrapServers;
        this.concurrency = config.rebuild().concurrency();
    }

    /** A rebuild this process was running died with it: say so, and free its rows. */
    void onStart(@Observes StartupEvent event) {
        pool.query("update generations set state = 'FAILED', finished_at = now(), error = 'interrupted: the service stopped during the rebuild' where state = 'BUILDING'")
                .execute().chain(() -> generations.dropUnused(pool))
                .subscribe().with(ok -> {
                }, failure -> LOG.warnf("could not clean up interrupted rebuilds: %s", failure.toString()));
    }

    /** Thrown when a rebuild is already running. */
    public static final class AlreadyRunningException extends RuntimeException {
        AlreadyRunningException() {
            super("a rebuild is already running");
        }
    }

    /** Starts a rebuild in the background; fails with {@link AlreadyRunningException} if one is running. */
    public Uni<Integer> start() {
        return transactions.run(generations::startGeneration)
                .onFailure(Conflicts::isConflict).transform(f -> new AlreadyRunningException())
                .invoke(generation -> {
                    Thread worker = new Thread(() -> run(generation), "read-model-rebuild-" + generation);
                    worker.setDaemon(true);
                    worker.start();
                });
    }

    /** The replay, on its own thread (the Kafka consumer blocks; waiting here blocks no event loop). */
    private void run(int generation) {
        AtomicLong processed = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000,
                ConsumerConfig.CLIENT_ID_CONFIG, "read-model-rebuild-" + generation),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : Topics.ALL) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Read after the generation was registered: anything beyond these ends reaches it through the live projector.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long lastProgress = 0;
            while (!caughtUp(consumer, ends)) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                Map<String, List<ConsumerRecord<String, String>>> byOrder = new LinkedHashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < ends.getOrDefault(tp, 0L)) {
                        byOrder.computeIfAbsent(r.key() == null ? "" : r.key(), k -> new ArrayList<>()).add(r);
                    }
                }
                // Orders in parallel, each order's events one after another.
                Multi.createFrom().iterable(byOrder.values())
                        .onItem().transformToUni(group -> replay(generation, group, processed, skipped)).merge(concurrency)
                        .collect().last()
                        .await().atMost(Duration.ofMinutes(5));
                if (System.currentTimeMillis() - lastProgress > 500) {
                    lastProgress = System.currentTimeMillis();
                    generations.progress(pool, generation, processed.get(), skipped.get()).await().atMost(Duration.ofSeconds(30));
                }
            }
            transactions.run(tx -> generations.swapIn(tx, generation, processed.get(), skipped.get()))
                    .await().atMost(Duration.ofSeconds(30));
            LOG.infof("rebuild %d done: %d events replayed, %d skipped", generation, processed.get(), skipped.get());
            generations.dropUnused(pool).await().atMost(Duration.ofMinutes(5));
        } catch (RuntimeException e) {
            LOG.errorf(e, "rebuild %d failed", generation);
            generations.fail(pool, generation, e.toString()).await().atMost(Duration.ofSeconds(30));
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Uni<Void> replay(int generation, List<ConsumerRecord<String, String>> records, AtomicLong processed, AtomicLong skipped) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ConsumerRecord<String, String> record : records) {
            chain = chain.chain(() -> replayOne(generation, record)
                    .invoke(applied -> processed.incrementAndGet())
                    .onFailure(EventCodec.MalformedEventException.class).recoverWithItem(malformed -> {
                        // Poison went to a dead-letter topic when it was live; a rebuild skips it the same way.
                        skipped.incrementAndGet();
                        return false;
                    })
                    .replaceWithVoid());
        }
        return chain;
    }

    private Uni<Boolean> replayOne(int generation, ConsumerRecord<String, String> record) {
        EventEnvelope envelope;
        SagaEvent event;
        try {
            envelope = EventCodec.fromJson(record.value());
            if (EventType.fromWireName(envelope.type()).isEmpty()) {
                return Uni.createFrom().failure(new EventCodec.MalformedEventException("unknown type " + envelope.type(), null));
            }
            event = EventCodec.payload(envelope);
        } catch (EventCodec.MalformedEventException e) {
            return Uni.createFrom().failure(e);
        }
        String traceId = Tracing.traceId(Tracing.traceparent(record.headers()));
        return transactions.run(tx -> projection.lockOrder(tx, envelope.orderId())
                        .chain(() -> projector.apply(tx, generation, envelope, Projector.projected(envelope, event, traceId))))
                .onFailure(Conflicts::isConflict).retry().withBackOff(Duration.ofMillis(20), Duration.ofSeconds(1)).atMost(10);
    }
}
