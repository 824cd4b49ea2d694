package io.sagashop.devstack.chaos;

import io.sagashop.contracts.Topics;
import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.Service;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The faults of a chaos run, one at a time: a service killed with -9 and restarted, the broker frozen (SIGSTOP) or
 * killed and restarted, PostgreSQL frozen, the payment provider failing, the carrier slower than our timeout, events
 * delivered again, and poison records. Every kind comes once before any comes twice; after each the stack is left alone
 * for a gap, so that a run shows what each fault does to the orders it meets rather than what a pile-up of them does.
 */
public final class ChaosFaults {

    public enum Kind { KILL_SERVICE, BROKER_FREEZE, BROKER_RESTART, POSTGRES_FREEZE, PROVIDER_ERRORS, CARRIER_LATENCY, DUPLICATES, POISON }

    /** One fault as it happened, in milliseconds since the run started. */
    public record Fault(Kind kind, String target, long startMs, long endMs) {
    }

    private final Devstack stack;
    private final Random random;
    private final Set<Kind> enabled;
    private final long runStartNanos;
    private final Duration gap;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Fault> happened = Collections.synchronizedList(new ArrayList<>());
    private volatile int poisonSent;
    private int kills;
    private final int killOffset;

    ChaosFaults(Devstack stack, long seed, Set<Kind> enabled, Duration gap, long runStartNanos) {
        this.stack = stack;
        this.gap = gap;
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.enabled = enabled;
        this.runStartNanos = runStartNanos;
        this.killOffset = random.nextInt(Service.SAGA_SERVICES.size());
    }

    /**
     * Injects faults one after another, {@code gap} to twice {@code gap} apart, until {@code until} (System.nanoTime) and until every
     * enabled kind happened once (orders still in flight meet the rest).
     */
    void run(long until) throws InterruptedException {
        List<Kind> order = new ArrayList<>(enabled);
        Collections.shuffle(order, random);
        int next = 0;
        Thread.sleep(3000);
        while ((System.nanoTime() < until || next < order.size()) && !enabled.isEmpty()) {
            Kind kind = next < order.size() ? order.get(next++) : order.get(random.nextInt(order.size()));
            long start = now();
            String target;
            try {
                target = inject(kind);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                target = "failed to inject: " + e;
            }
            happened.add(new Fault(kind, target, start, now()));
            System.out.printf("chaos: %6.1f s  %-16s %s%n", start / 1000.0, kind, target);
            Thread.sleep(gap.toMillis() + (long) (random.nextDouble() * gap.toMillis()));
        }
    }

    private String inject(Kind kind) throws Exception {
        switch (kind) {
            case KILL_SERVICE -> { // each saga service in turn
                // With replicas, one instance at a time: the others keep serving and take over its partitions.
                Service s = Service.SAGA_SERVICES.get((kills++ + killOffset) % Service.SAGA_SERVICES.size());
                List<io.sagashop.devstack.ServiceProcess> instances = stack.replicas(s);
                io.sagashop.devstack.ServiceProcess victim = instances.get(random.nextInt(instances.size()));
                victim.kill();
                Thread.sleep(500 + random.nextInt(2500));
                stack.startInstances(List.of(victim));
                return victim.name() + " killed with -9, restarted, ready again";
            }
            case BROKER_FREEZE -> {
                long ms = 4000 + random.nextInt(6000);
                freeze(List.of(stack.broker().process().pid()), ms);
                return "broker SIGSTOP for " + ms + " ms";
            }
            case BROKER_RESTART -> {
                stack.broker().kill();
                Thread.sleep(1000 + random.nextInt(2000));
                stack.broker().start(Duration.ofSeconds(60));
                return "broker killed with -9 and restarted";
            }
            case POSTGRES_FREEZE -> {
                long ms = 2000 + random.nextInt(4000);
                List<Long> pids = new ArrayList<>();
                long postmaster = stack.postgres().pid();
                pids.add(postmaster);
                ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
                freeze(pids, ms);
                return "PostgreSQL (" + pids.size() + " processes) SIGSTOP for " + ms + " ms";
            }
            case PROVIDER_ERRORS -> {
                return "payment provider answers 503 to everything for " + burst("payments", 1.0, 0, 3000 + random.nextInt(7000)) + " ms";
            }
            case CARRIER_LATENCY -> {
                return "carrier answers after 2.5 s (above the 2 s timeout) for " + burst("carrier", 0, 2500, 3000 + random.nextInt(5000)) + " ms";
            }
            case DUPLICATES -> {
                return "re-published " + redeliver(30) + " recent saga events";
            }
            case POISON -> {
                String topic = Topics.ALL.get(random.nextInt(Topics.ALL.size()));
                int n = 1 + random.nextInt(2);
                try (KafkaProducer<String, String> producer = producer()) {
                    for (int i = 0; i < n; i++) {
                        producer.send(new ProducerRecord<>(topic, "poison-" + poisonSent++, "{\"this is\": not an event"))
                                .get(10, TimeUnit.SECONDS);
                    }
                }
                return n + " poison record(s) on " + topic;
            }
        }
        throw new IllegalStateException(kind.toString());
    }

    /** SIGSTOP, wait, SIGCONT: the processes hang (connections open, nothing answers), as in a long GC pause or a VM stall. */
    private static void freeze(List<Long> pids, long millis) throws Exception {
        signal("STOP", pids);
        try {
            Thread.sleep(millis);
        } finally {
            signal("CONT", pids);
        }
    }

    private static void signal(String signal, List<Long> pids) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(String.valueOf(p)));
        new ProcessBuilder(command).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    /** Sets a sandbox fault knob for {@code millis}, then clears it; returns {@code millis}. */
    private long burst(String target, double errorRate, int latencyMs, long millis) throws Exception {
        knobs(target, errorRate, latencyMs);
        try {
            Thread.sleep(millis);
        } finally {
            knobs(target, 0, 0);
        }
        return millis;
    }

    private void knobs(String target, double errorRate, int latencyMs) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.service(Service.SANDBOX).url() + "/sandbox/faults/" + target))
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"errorRate\":" + errorRate + ",\"latencyMs\":" + latencyMs + "}"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("sandbox knobs: " + r.statusCode() + " " + r.body());
        }
    }

    /** Publishes again the last few records of every saga topic, headers and all: a redelivery, as after a crash. */
    private int redeliver(int perPartition) throws Exception {
        int n = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = producer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : Topics.ALL) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            partitions.forEach(tp -> consumer.seek(tp, Math.max(0, ends.get(tp) - perPartition)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition())) && r.key() != null && !r.key().startsWith("poison-")) {
                        producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers()));
                        n++;
                    }
                }
            }
            producer.flush();
        }
        return n;
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60000),
                new StringSerializer(), new StringSerializer());
    }

    private long now() {
        return (System.nanoTime() - runStartNanos) / 1_000_000;
    }

    List<Fault> happened() {
        return List.copyOf(happened);
    }

    int poisonSent() {
        return poisonSent;
    }
}
