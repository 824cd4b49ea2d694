package io.sagashop.platform.messaging;

import io.sagashop.contracts.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service's dead-letter topic ({@code <service>-dlq}) as a tool: list what is in it, and replay records to the
 * topic they came from. A replayed event goes through every consumer's inbox again, so a consumer that handled it
 * already ignores it, and replaying twice changes nothing. A record that is not an event at all would only fail again:
 * it is listed, never replayed. Blocking Kafka clients: call from a worker thread.
 */
@ApplicationScoped
public class DeadLetters {

    /** Headers SmallRye's dead-letter queue adds; a replay drops them. */
    private static final String DLQ_PREFIX = "dead-letter-";
    public static final String REPLAYED_FROM = "sagashop-replayed-from";

    /** One record of the dead-letter topic. */
    public record DeadLetter(String id, String orderId, String type, String reason, String originalTopic,
                             Instant deadLetteredAt, long ageSeconds, boolean replayable) {
    }

    private final String bootstrapServers;
    private final String topic;

    DeadLetters(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                @ConfigProperty(name = "quarkus.application.name") String service) {
        this.bootstrapServers = bootstrapServers;
        this.topic = service + "-dlq";
    }

    public String topic() {
        return topic;
    }

    public List<DeadLetter> list() {
        Instant now = Instant.now();
        return read().stream().map(r -> describe(r, now)).toList();
    }

    /**
     * Replays the records with the given ids ({@code partition:offset}), or every replayable one when {@code ids} is
     * null; returns the ids replayed.
     */
    public List<String> replay(Collection<String> ids) throws Exception {
        List<ConsumerRecord<String, String>> chosen = new ArrayList<>();
        Instant now = Instant.now();
        for (ConsumerRecord<String, String> r : read()) {
            DeadLetter letter = describe(r, now);
            if ((ids == null || ids.contains(letter.id())) && letter.replayable()) {
                chosen.add(r);
            }
        }
        List<String> replayed = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, topic + "-replay"), new StringSerializer(), new StringSerializer())) {
            for (ConsumerRecord<String, String> r : chosen) {
                RecordHeaders headers = new RecordHeaders();
                for (Header h : r.headers()) {
                    if (!h.key().startsWith(DLQ_PREFIX)) {
                        headers.add(h);
                    }
                }
                String id = id(r);
                headers.add(REPLAYED_FROM, (topic + ":" + id).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(header(r, "dead-letter-topic"), null, r.key(), r.value(), headers))
                        .get(10, TimeUnit.SECONDS);
                replayed.add(id);
            }
        }
        return replayed;
    }

    /** Everything in the dead-letter topic now, read from its beginning to its end. */
    private List<ConsumerRecord<String, String>> read() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, topic + "-reader"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(10)) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static DeadLetter describe(ConsumerRecord<String, String> r, Instant now) {
        String type = header(r, io.sagashop.contracts.Headers.TYPE);
        boolean event;
        try {
            type = EventCodec.fromJson(r.value()).type();
            event = true;
        } catch (RuntimeException e) {
            event = false;
        }
        Instant at = Instant.ofEpochMilli(r.timestamp());
        return new DeadLetter(id(r), r.key(), type, header(r, "dead-letter-reason"), header(r, "dead-letter-topic"), at,
                Duration.between(at, now).toSeconds(), event && header(r, "dead-letter-topic") != null);
    }

    private static String id(ConsumerRecord<?, ?> r) {
        return r.partition() + ":" + r.offset();
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
