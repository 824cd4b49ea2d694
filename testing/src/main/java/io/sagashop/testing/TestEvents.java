package io.sagashop.testing;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.Headers;
import io.sagashop.contracts.PaymentTokenSeal;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.OrderPlaced;
import io.sagashop.contracts.events.SagaEvent;
import io.sagashop.contracts.events.ShippingAddress;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** Plays the other services in a service test: publishes saga events to the real broker and reads what came out. */
public final class TestEvents {

    private static KafkaCompanion companion;

    private TestEvents() {
    }

    private static synchronized KafkaCompanion companion() {
        if (companion == null) {
            companion = new KafkaCompanion(SagaShopTestResources.kafkaBootstrapServers());
        }
        return companion;
    }

    /** The order as the order service publishes it: token sealed for it, shipped to Ada in Springfield, DE. */
    public static OrderPlaced placed(String orderId, String customerId, List<OrderLine> items, String paymentToken,
                                     Instant deadline) {
        return new OrderPlaced(customerId, null, items, PaymentTokenSeal.mask(paymentToken),
                SagaShopTestResources.paymentTokenSeal().seal(orderId, paymentToken),
                new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "DE"), deadline);
    }

    /** A new envelope for the event, as its publishing service would write it. */
    public static EventEnvelope envelope(String orderId, long sequence, SagaEvent event) {
        return EventCodec.envelope(UUID.randomUUID(), orderId, sequence, Instant.now(), event);
    }

    /** Publishes the envelope on its event's topic, keyed by order id (publish it twice to simulate a redelivery). */
    public static EventEnvelope publish(EventEnvelope envelope) {
        String topic = EventType.fromWireName(envelope.type()).orElseThrow().topic();
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, envelope.orderId(), EventCodec.toJson(envelope));
        record.headers().add(Headers.TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.EVENT_ID, envelope.eventId().toString().getBytes(StandardCharsets.UTF_8));
        companion().produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(10));
        return envelope;
    }

    /** Publishes all at once (pipelined, not one acknowledgement after another), so that consumers see them together. */
    public static void publishAll(List<EventEnvelope> envelopes) {
        List<ProducerRecord<String, String>> records = envelopes.stream().map(e -> new ProducerRecord<>(
                EventType.fromWireName(e.type()).orElseThrow().topic(), e.orderId(), EventCodec.toJson(e))).toList();
        companion().produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(20));
    }

    public static EventEnvelope publish(String orderId, long sequence, SagaEvent event) {
        return publish(envelope(orderId, sequence, event));
    }

    public static void publishRaw(String topic, String key, String value) {
        publishRaw(topic, key, value, java.util.Map.of());
    }

    /** A record as it is, with these headers (e.g. a dead letter as SmallRye's dead-letter queue writes it). */
    public static void publishRaw(String topic, String key, String value, java.util.Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        companion().produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(10));
    }

    /** Every record with this key on the topic, once at least {@code count} are there. */
    public static List<ConsumerRecord<String, String>> awaitRecords(String topic, String key, int count, Duration within) {
        return withKey(readUntil(topic, count + " records of " + key, within, records -> withKey(records, key).size() >= count), key);
    }

    /** Waits until every one of the keys has a record on the topic. */
    public static void awaitEveryKey(String topic, java.util.Collection<String> keys, Duration within) {
        readUntil(topic, "a record of each of " + keys.size() + " keys", within, records ->
                records.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet()).containsAll(keys));
    }

    /** Reads the topic from its beginning, with a group of its own, until {@code done} holds for what was read. */
    private static List<ConsumerRecord<String, String>> readUntil(String topic, String what, Duration within,
                                                                  java.util.function.Predicate<List<ConsumerRecord<String, String>>> done) {
        ConsumerTask<String, String> task = companion().consumeStrings().withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic);
        try {
            await(what + " on " + topic).atMost(within).pollInterval(Duration.ofMillis(100))
                    .until(() -> done.test(task.getRecords()));
            return task.getRecords();
        } finally {
            task.stop();
        }
    }

    /** The events published for the order on the topic, after waiting {@code settle} for stragglers. */
    public static List<EventEnvelope> eventsAfter(String topic, String orderId, int atLeast, Duration settle) {
        awaitRecords(topic, orderId, atLeast, Duration.ofSeconds(20));
        try {
            Thread.sleep(settle.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return awaitRecords(topic, orderId, atLeast, Duration.ofSeconds(20)).stream()
                .map(r -> EventCodec.fromJson(r.value())).toList();
    }

    private static List<ConsumerRecord<String, String>> withKey(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }
}
