package io.sagashop.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./sagashop bench}: the saga's maximum sustained throughput and its latency, next to the limits of the box it
 * ran on. Open-loop load (orders are sent on a fixed schedule, whatever the system answers: no coordinated
 * omission); latency = {@code POST /orders} sent → the order's terminal event seen on {@code order-events}.
 */
public final class Bench {

    /** What a run does; {@link #quick} and {@link #full} are the two documented modes, tests use a tiny one. */
    public record Plan(List<Integer> rates, Duration step, Duration reference, Duration limitWindow, double declineShare,
                       double shippingFailureShare, int concurrency, List<Integer> warmUpRates, Duration warmUpStep) {
        static Plan quick() {
            return new Plan(List.of(10, 25, 50, 100, 200, 300), Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(3), 0.05, 0.05, 8,
                    List.of(20, 50, 80), Duration.ofSeconds(5));
        }

        static Plan full() {
            // From 10/s: on a slow day this box sustains less than 50/s, and a ramp that starts above it reports nothing.
            return new Plan(List.of(10, 25, 50, 100, 150, 200, 300, 400, 600, 800, 1000, 1300), Duration.ofSeconds(30),
                    Duration.ofSeconds(30), Duration.ofSeconds(5), 0.05, 0.05, 8,
                    // Three minutes: on two cores the services' C2 compilers are still busy after one minute of load
                    // (~20 % of a service's CPU), and the steps would measure the JIT, not the saga.
                    List.of(20, 50, 80, 80, 80, 80, 80, 80, 80), Duration.ofSeconds(20));
        }

        /** A plan without warm-up, for tests. */
        public Plan(List<Integer> rates, Duration step, Duration reference, Duration limitWindow, double declineShare,
                    double shippingFailureShare, int concurrency) {
            this(rates, step, reference, limitWindow, declineShare, shippingFailureShare, concurrency, List.of(), Duration.ZERO);
        }
    }

    /** A step of the ramp: what was offered and what the saga did with it. */
    public record Step(int offeredPerS, long sent, long completed, double completedPerS, double p50Ms, double p99Ms,
                       boolean sustained) {
    }

    // Below Linux's ephemeral range (32768-60999): at +30000 an outgoing connection of the stack itself could hold
    // 38082 as its local port just as inventory tried to listen there, and the bench failed to start.
    static final int PORT_OFFSET = 21000;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** An order is terminal when its order-events record is one of these. */
    static final Set<String> TERMINAL = Set.of("OrderCompleted", "OrderCancelled");
    /** A step sustains its rate when almost every order finished within the step plus a drain, with bounded p99. */
    static final double SUSTAINED_SHARE = 0.97;
    static final double SUSTAINED_P99_MS = 2000;

    private final BenchTarget target;
    private final String authorization;
    private final Plan plan;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> endedEarly = new ConcurrentHashMap<>();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();
    /** Orders sent whose POST has not been answered yet. */
    private final AtomicLong inFlight = new AtomicLong();
    private volatile Recorder latencies = new Recorder(3);
    /** For {@link #measure}: orders sent from this instant (System.nanoTime) on are the window's. */
    private volatile long windowStart = Long.MAX_VALUE;
    private final AtomicLong windowCompleted = new AtomicLong();
    private final Recorder windowLatencies = new Recorder(3);
    private double idleCommitsPerS;
    private final AtomicBoolean observing = new AtomicBoolean(true);

    public Bench(Devstack stack, Plan plan) {
        this(BenchTarget.of(stack), plan);
    }

    Bench(BenchTarget target, Plan plan) {
        this.target = target;
        this.plan = plan;
        this.authorization = target.authorization();
    }

    static int run(Path root, List<String> args) {
        boolean quick = false;
        boolean running = false;
        int portOffset = 0;
        List<String> jdks = null;
        int rate = 10;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--jdk") && i + 1 < args.size()) {
                jdks = List.of(args.get(++i).split(","));
            } else if (arg.equals("--rate") && i + 1 < args.size() && args.get(i + 1).matches("\\d{1,4}") && !args.get(i + 1).equals("0")) {
                rate = Integer.parseInt(args.get(++i));
            } else if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--target")) {
                running = true;
            } else if (arg.equals("--port-offset") && i + 1 < args.size() && args.get(i + 1).matches("\\d{1,5}")) {
                portOffset = Integer.parseInt(args.get(++i));
            } else {
                System.err.println("sagashop: unknown option '" + arg + "' for bench" + Main.SEE_HELP);
                return 2;
            }
        }
        if (jdks != null) {
            if (running) {
                System.err.println("sagashop: bench --jdk starts its own stacks; it does not take --target" + Main.SEE_HELP);
                return 2;
            }
            return JdkComparison.run(root, jdks, quick ? JdkComparison.Plan.quick(rate) : JdkComparison.Plan.full(rate));
        }
        Plan plan = quick ? Plan.quick() : Plan.full();
        if (running) {
            // Someone else's stack: its data stays, so the bench's catalog and orders are added to it.
            System.out.println("sagashop bench (" + (quick ? "quick" : "full") + "): against the running stack on ports +" + portOffset + " ...");
            try {
                write(root, new Bench(BenchTarget.running(portOffset), plan).measure());
                return 0;
            } catch (Exception e) {
                System.err.println("sagashop: bench failed (is ./sagashop up running" + (portOffset == 0 ? "" : " with --port-offset " + portOffset)
                        + "?): " + e);
                return 1;
            }
        }
        Path dataDir = root.resolve("target/bench-data");
        try (Devstack stack = Devstack.create(Devstack.Options.defaults(root).dataDir(dataDir).fresh(true)
                .portOffset(PORT_OFFSET).serviceEnv(Map.of("SAGASHOP_SAGA_DEADLINE", "120s")))) {
            System.out.println("sagashop bench (" + (quick ? "quick" : "full") + "): starting a fresh stack on ports +" + PORT_OFFSET + " ...");
            stack.launch();
            BenchResult report = new Bench(stack, plan).measure();
            write(root, report);
            return 0;
        } catch (Exception e) {
            System.err.println("sagashop: bench failed: " + e);
            return 1;
        }
    }

    /** Runs the whole plan against the started stack and returns the report. */
    public BenchResult measure() throws Exception {
        catalog();
        // Relays, sweepers and notifiers commit a little even when idle: measured, and not charged to the sagas.
        Counters idleStart = counters();
        Thread.sleep(2000);
        idleCommitsPerS = (counters().commits - idleStart.commits) / 2.0;
        Thread observer = new Thread(this::observeCompletions, "bench-observer");
        observer.setDaemon(true);
        observer.start();
        warmUp();

        List<Step> steps = new ArrayList<>();
        int best = 0;
        for (int rate : plan.rates()) {
            Step step = step(rate, plan.step(), "ramp");
            steps.add(step);
            if (!step.sustained()) {
                break;
            }
            best = rate;
        }
        int reference = Math.max(1, best / 2);
        settle(); // not the backlog of the step that was not sustained
        Counters before = counters();
        long referenceStart = System.nanoTime();
        // Every reference order is waited for (up to a minute): its latency is reported, however long it took.
        Histogram referenceLatency = window(reference, plan.reference(), "reference", Duration.ofSeconds(60));
        Counters after = counters();
        long referenceSagas = after.terminal - before.terminal;
        double idleCommits = idleCommitsPerS * (System.nanoTime() - referenceStart) / 1e9;

        BenchResult.Limits limits = limits(after, before, referenceSagas, idleCommits);
        observing.set(false);

        return new BenchResult(best, reference,
                new BenchResult.Latency(ms(referenceLatency, 50), ms(referenceLatency, 95), ms(referenceLatency, 99),
                        referenceLatency.getMaxValue() / 1e6),
                limits, steps, new BenchResult.Mix(plan.declineShare(), plan.shippingFailureShare()), failedRequests.get(),
                target.processes(), new BenchResult.Box(Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch")));
    }

    // ---- one rate, window by window (bench --jdk) ----

    /**
     * A window at one rate, counting only the orders sent in it: how many ended within the window plus a drain (per
     * second of the window), their latency, and how many had ended once the stack was idle again.
     */
    public record Window(int offeredPerS, long completed, double completedPerS, double p50Ms, double p99Ms, long ended) {
    }

    /** Adds the catalog and starts timing completions, without the plan's warm-up. */
    void begin() throws Exception {
        catalog();
        Thread observer = new Thread(this::observeCompletions, "bench-observer");
        observer.setDaemon(true);
        observer.start();
    }

    /** Sends {@code rate} orders per second for {@code length} (plus a drain of up to 10 s) and says what came of them. */
    Window measure(int rate, Duration length, String label) throws InterruptedException {
        windowLatencies.getIntervalHistogram(); // reset
        windowCompleted.set(0);
        windowStart = System.nanoTime();
        window(rate, length, label, Duration.ofSeconds(30));
        long done = windowCompleted.get();
        Histogram h = windowLatencies.getIntervalHistogram();
        settle(); // this window's backlog is its own, not the next window's
        long ended = windowCompleted.get();
        windowStart = Long.MAX_VALUE;
        return new Window(rate, done, round(done / (length.toMillis() / 1000.0)), ms(h, 50), ms(h, 99), ended);
    }

    void end() {
        observing.set(false);
    }

    // ---- load ----

    private void catalog() throws Exception {
        for (int i = 0; i < 20; i++) {
            String body = "{\"sku\":\"BENCH-" + i + "\",\"name\":\"Bench item " + i + "\",\"price\":" + (5 + i) + ".50,\"stock\":100000000}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(Service.INVENTORY) + "/products"))
                    .header("content-type", "application/json").header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("catalog: " + r.statusCode() + " " + r.body());
            }
        }
    }

    /**
     * Load first, not measured: a cold JVM interprets, then compiles, its hot paths during its first few thousand
     * orders, and on two cores the five services compiling at once would be what the first steps measure. A rate the
     * stack does not keep up with is halved until it does (see {@link #warmUpCeiling}): a slow box is warmed, not
     * buried under a backlog whose orders would all miss their deadline.
     */
    private void warmUp() throws InterruptedException {
        int ceiling = Integer.MAX_VALUE;
        for (int planned : plan.warmUpRates()) {
            int rate = Math.min(planned, ceiling);
            window(rate, plan.warmUpStep(), "warm-up", Duration.ofSeconds(30));
            long open = inFlight.get() + sentAt.size();
            int next = warmUpCeiling(rate, open, ceiling);
            if (next < rate) {
                System.err.printf("  warm-up: %d orders of %d/s still open after the drain; going on at %d/s%n", open, rate, next);
                settle();
            }
            ceiling = next;
        }
        settle(); // a warm-up above what the box sustains leaves a backlog the first step would measure
    }

    /**
     * The highest warm-up rate for the next window: half of {@code rate} when more than 5 s of its orders are still
     * open; else twice the ceiling (back towards the plan: a cold stack's first window always lags).
     */
    static int warmUpCeiling(int rate, long open, int ceiling) {
        if (open > rate * 5L) {
            return Math.max(1, rate / 2);
        }
        return ceiling > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : ceiling * 2;
    }

    /** Waits (up to two minutes) until every order sent so far has ended, so the next window starts from an idle saga. */
    private void settle() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < until && (inFlight.get() > 0 || !sentAt.isEmpty())) {
            Thread.sleep(200);
        }
    }

    private Step step(int rate, Duration length, String label) throws InterruptedException {
        long before = completed.get();
        Histogram h = window(rate, length, label, Duration.ofMillis(Math.max(2000, length.toMillis() / 4)));
        long sent = Math.round(rate * length.toMillis() / 1000.0);
        long done = completed.get() - before;
        double seconds = length.toMillis() / 1000.0;
        boolean sustained = done >= SUSTAINED_SHARE * sent && ms(h, 99) <= SUSTAINED_P99_MS;
        return new Step(rate, sent, done, done / seconds, ms(h, 50), ms(h, 99), sustained);
    }

    /**
     * Sends {@code rate} orders per second for {@code length} on a fixed schedule, then waits up to {@code drain} for
     * the orders still under way; returns the latencies of the orders that ended meanwhile.
     */
    private Histogram window(int rate, Duration length, String label, Duration drain) throws InterruptedException {
        latencies.getIntervalHistogram(); // reset
        long start = System.nanoTime();
        long total = Math.round(rate * length.toMillis() / 1000.0);
        long interval = 1_000_000_000L / rate;
        long sent = 0;
        long lastBar = 0;
        while (sent < total) {
            long due = start + sent * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            send(sent);
            sent++;
            if (System.nanoTime() - lastBar > 200_000_000L) {
                lastBar = System.nanoTime();
                progress(label, rate, sent, total);
            }
        }
        progress(label, rate, total, total);
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < drainUntil && (inFlight.get() > 0 || !sentAt.isEmpty())) {
            Thread.sleep(100);
        }
        System.err.println();
        return latencies.getIntervalHistogram();
    }

    private void send(long n) {
        double pick = (n * 0.6180339887) % 1.0; // spread the mix evenly over time
        String token = pick < plan.declineShare() ? "tok_decline" : "tok_visa";
        String country = pick >= plan.declineShare() && pick < plan.declineShare() + plan.shippingFailureShare() ? "XX" : "DE";
        String body = "{\"customerId\":\"bench-" + (n % 1000) + "\",\"items\":[{\"sku\":\"BENCH-" + (n % 20) + "\",\"quantity\":1}],"
                + "\"paymentToken\":\"" + token + "\",\"shippingAddress\":{\"name\":\"Bench\",\"street\":\"1 Main St\","
                + "\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\"" + country + "\"}}";
        long sendTime = System.nanoTime();
        inFlight.incrementAndGet();
        http.sendAsync(HttpRequest.newBuilder(URI.create(url(Service.ORDER) + "/orders")).timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/json").header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).whenComplete((r, error) -> {
            inFlight.decrementAndGet();
            if (error != null || r.statusCode() != 202) {
                failedRequests.incrementAndGet();
                return;
            }
            String id = r.body().replaceAll(".*\"orderId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            Long ended = endedEarly.remove(id);
            if (ended != null) {
                record(sendTime, ended);
            } else {
                sentAt.put(id, sendTime);
                Long late = endedEarly.remove(id); // the end may have been seen between the two lines above
                if (late != null && sentAt.remove(id) != null) {
                    record(sendTime, late);
                }
            }
        });
    }

    private void record(long sendTime, long endTime) {
        latencies.recordValue(Math.max(1, endTime - sendTime));
        completed.incrementAndGet();
        if (sendTime >= windowStart) {
            windowLatencies.recordValue(Math.max(1, endTime - sendTime));
            windowCompleted.incrementAndGet();
        }
    }

    /** Follows order-events from now on and times every order that ends. */
    private void observeCompletions() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, "order-events");
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (observing.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    var type = record.headers().lastHeader("type");
                    if (type == null || !TERMINAL.contains(new String(type.value(), StandardCharsets.UTF_8))) {
                        continue;
                    }
                    long now = System.nanoTime();
                    Long sent = sentAt.remove(record.key());
                    if (sent != null) {
                        record(sent, now);
                    } else {
                        endedEarly.put(record.key(), now);
                    }
                }
            }
        }
    }

    // ---- the box's limits, and what one saga costs ----

    record Counters(long commits, long messages, long terminal) {
    }

    /** Database commits (all five databases) and saga-topic messages so far, and sagas ended so far. */
    private Counters counters() throws Exception {
        long commits = 0;
        try (Connection c = DriverManager.getConnection(target.jdbcUrl("order_db"), PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select sum(xact_commit) from pg_stat_database where datname like '%_db'")) {
            rs.next();
            commits = rs.getLong(1);
        }
        long messages = 0;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            for (String topic : List.of("order-events", "inventory-events", "payment-events", "shipping-events")) {
                messages += consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
            }
        }
        return new Counters(commits, messages, completed.get());
    }

    private BenchResult.Limits limits(Counters after, Counters before, long sagas, double idleCommits) throws Exception {
        double commitsPerSaga = sagas == 0 ? 0 : Math.max(0, after.commits - before.commits - idleCommits) / (double) sagas;
        double messagesPerSaga = sagas == 0 ? 0 : (after.messages - before.messages) / (double) sagas;
        double pg = pgCommitRate();
        double kafka = kafkaRate(averageEventSize());
        double bound = Math.min(commitsPerSaga == 0 ? Double.MAX_VALUE : pg / commitsPerSaga,
                messagesPerSaga == 0 ? Double.MAX_VALUE : kafka / messagesPerSaga);
        return new BenchResult.Limits(Math.round(pg), Math.round(kafka), round(commitsPerSaga), round(messagesPerSaga),
                Math.round(bound));
    }

    /** Single-row insert-and-commit transactions per second at the services' concurrency. */
    private double pgCommitRate() throws Exception {
        String url = target.jdbcUrl("order_db");
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD); Statement s = c.createStatement()) {
            s.execute("create table if not exists bench_commits (id bigserial primary key, payload text)");
        }
        AtomicLong commits = new AtomicLong();
        long until = System.nanoTime() + plan.limitWindow().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(plan.concurrency());
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < plan.concurrency(); i++) {
            workers.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
                     PreparedStatement ps = c.prepareStatement("insert into bench_commits (payload) values (?)")) {
                    while (System.nanoTime() < until) {
                        ps.setString(1, "x".repeat(200));
                        ps.executeUpdate();
                        commits.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        return commits.get() / (plan.limitWindow().toMillis() / 1000.0);
    }

    /** Messages of the saga's size produced (acks=all, idempotent) and consumed back per second. */
    private double kafkaRate(int size) throws Exception {
        String topic = "bench-limit";
        target.createTopic(topic);
        String value = "x".repeat(Math.max(1, size));
        AtomicLong consumed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = consumer()) {
                List<TopicPartition> partitions = partitions(consumer, topic);
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                while (running.get()) {
                    consumed.addAndGet(consumer.poll(Duration.ofMillis(50)).count());
                }
            }
        });
        reader.start();
        Thread.sleep(500);
        long start = System.nanoTime();
        long until = start + plan.limitWindow().toNanos();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new StringSerializer())) {
            long n = 0;
            while (System.nanoTime() < until) {
                producer.send(new ProducerRecord<>(topic, "order-" + (n++ % 1000), value));
            }
            producer.flush();
        }
        long startConsumed = consumed.get();
        Thread.sleep(1000);
        running.set(false);
        reader.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        return Math.max(startConsumed, consumed.get()) / seconds;
    }

    /** The mean size of an order-events record. */
    private int averageEventSize() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, "order-events");
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long bytes = 0;
            int n = 0;
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(2))) {
                bytes += r.serializedValueSize();
                n++;
            }
            return n == 0 ? 500 : (int) (bytes / n);
        }
    }

    // ---- processes ----

    /**
     * CPU seconds (own + children that ended: PostgreSQL's backends) and memory of a process, from /proc: peak RSS
     * for a single process; for one with children (PostgreSQL) the sum of their current proportional set sizes, since
     * their shared memory would be counted once per backend otherwise.
     */
    static BenchResult.ProcessUsage process(String name, long pid, Duration startup) {
        double cpu = cpuSeconds(pid, true);
        List<Long> children = children(pid);
        long rssKb = children.isEmpty() ? peakRssKb(pid) : pssKb(pid);
        for (long child : children) {
            cpu += cpuSeconds(child, false);
            rssKb += pssKb(child);
        }
        return new BenchResult.ProcessUsage(name, round(cpu), round(rssKb / 1024.0),
                startup == null ? null : round(startup.toMillis() / 1000.0));
    }

    private static double cpuSeconds(long pid, boolean withEndedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withEndedChildren) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return ticks / 100.0; // USER_HZ
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The memory a process holds now (resident set), in MB; 0 when it is gone. */
    static double rssMb(long pid) {
        return round(kilobytes(pid, "status", "VmRSS:") / 1024.0);
    }

    /** CPU seconds a process used so far. */
    static double cpuSeconds(long pid) {
        return cpuSeconds(pid, false);
    }

    private static long peakRssKb(long pid) {
        return kilobytes(pid, "status", "VmHWM:");
    }

    private static long pssKb(long pid) {
        return kilobytes(pid, "smaps_rollup", "Pss:");
    }

    /** A "field: n kB" line of /proc/pid/file, or 0 when the process is gone. */
    private static long kilobytes(long pid, String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    private static List<Long> children(long pid) {
        try {
            String list = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim();
            return list.isEmpty() ? List.of() : Arrays.stream(list.split(" ")).map(Long::parseLong).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    // ---- output ----

    public static void write(Path root, BenchResult report) throws IOException {
        Files.writeString(root.resolve("bench-report.json"), JSON.writeValueAsString(report));
        Files.writeString(root.resolve("bench-report.html"), BenchReport.html(report));
        Files.writeString(root.resolve("bench-report.svg"), BenchReport.chart(report.steps())); // the chart alone, e.g. for a README
        System.out.println(BenchReport.table(report));
        System.out.println("report: bench-report.json, chart: bench-report.html (and bench-report.svg)");
    }

    private static void progress(String label, int rate, long sent, long total) {
        int width = 30;
        int filled = (int) (width * sent / Math.max(1, total));
        System.err.printf("\r  %-9s %5d/s [%s%s] %d/%d", label, rate, "#".repeat(filled), " ".repeat(width - filled), sent, total);
    }

    private String url(Service service) {
        return target.url(service);
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : round(h.getValueAtPercentile(percentile) / 1e6);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
