package io.sagashop.devstack;

import io.sagashop.contracts.Topics;
import io.sagashop.devstack.auth.DevKeys;
import io.sagashop.devstack.auth.Tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Everything SagaShop needs on one machine: PostgreSQL, a Kafka broker, the sandbox and the five services (each
 * {@link Options#replicas()} times), on the ports of docs/ (shifted by {@link Options#portOffset()}). The system tests drive it through this API to
 * kill and revive parts mid-saga; {@link Main} runs it from the command line.
 */
public final class Devstack implements AutoCloseable {

    /**
     * Where the devstack listens. The controller port is not public: only the broker itself uses it. With replicas,
     * instance {@code i} of a service listens {@code 100 * i} above its first instance.
     */
    public record Ports(int kafka, int kafkaController, int postgres, Map<Service, Integer> services) {

        /** How far apart the ports of two instances of a service are. */
        public static final int INSTANCE_STEP = 100;

        static Ports withOffset(int offset) {
            Map<Service, Integer> services = new EnumMap<>(Service.class);
            for (Service s : Service.values()) {
                services.put(s, s.defaultPort() + offset);
            }
            return new Ports(9092 + offset, 9093 + offset, 5433 + offset, services);
        }

        /** The HTTP port of instance {@code instance} (0 is the first) of a service. */
        public int of(Service service, int instance) {
            return services.get(service) + INSTANCE_STEP * instance;
        }

        List<Integer> all(boolean withServices, int replicas) {
            List<Integer> ports = new ArrayList<>(List.of(kafka, kafkaController, postgres, services.get(Service.SANDBOX)));
            if (withServices) {
                for (int i = 0; i < replicas; i++) {
                    int instance = i;
                    Service.SAGA_SERVICES.forEach(s -> ports.add(of(s, instance)));
                }
            }
            return ports;
        }
    }

    /**
     * @param projectRoot where the modules' {@code target/} folders are
     * @param dataDir     PostgreSQL data, Kafka logs and process logs; survives restarts unless {@code fresh}
     * @param withServices false for {@code infra}: only PostgreSQL, Kafka and the sandbox
     * @param serviceEnv  extra environment for every service (e.g. a short saga deadline in tests)
     * @param replicas    instances of each saga service (the sandbox runs once), sharing their consumer groups
     */
    public record Options(Path projectRoot, Path dataDir, boolean fresh, int partitions, int portOffset,
                          boolean withServices, Map<String, String> serviceEnv, String serviceJavaOptions, int replicas) {
        public static Options defaults(Path projectRoot) {
            return new Options(projectRoot, projectRoot.resolve(".devstack"), false, 3, 0, true, Map.of(),
                    "-Xms32m -Xmx256m -XX:+UseSerialGC", 1);
        }

        public Options replicas(int value) {
            return new Options(projectRoot, dataDir, fresh, partitions, portOffset, withServices, serviceEnv, serviceJavaOptions, value);
        }

        public Options fresh(boolean value) {
            return new Options(projectRoot, dataDir, value, partitions, portOffset, withServices, serviceEnv, serviceJavaOptions, replicas);
        }

        public Options dataDir(Path value) {
            return new Options(projectRoot, value, fresh, partitions, portOffset, withServices, serviceEnv, serviceJavaOptions, replicas);
        }

        public Options partitions(int value) {
            return new Options(projectRoot, dataDir, fresh, value, portOffset, withServices, serviceEnv, serviceJavaOptions, replicas);
        }

        public Options portOffset(int value) {
            return new Options(projectRoot, dataDir, fresh, partitions, value, withServices, serviceEnv, serviceJavaOptions, replicas);
        }

        public Options withServices(boolean value) {
            return new Options(projectRoot, dataDir, fresh, partitions, portOffset, value, serviceEnv, serviceJavaOptions, replicas);
        }

        public Options serviceEnv(Map<String, String> value) {
            return new Options(projectRoot, dataDir, fresh, partitions, portOffset, withServices, Map.copyOf(value), serviceJavaOptions, replicas);
        }

        public Options serviceJavaOptions(String value) {
            return new Options(projectRoot, dataDir, fresh, partitions, portOffset, withServices, serviceEnv, value, replicas);
        }

        public Ports ports() {
            return Ports.withOffset(portOffset);
        }
    }

    private final Options options;
    private final Ports ports;
    private final KafkaBroker broker;
    /** Every instance of every service, by service; the first is instance 0. */
    private final Map<Service, List<ServiceProcess>> services = new LinkedHashMap<>();
    private PostgresServer postgres;
    private final ServiceJvm serviceJvm;
    private volatile String adminToken;
    private volatile boolean closed;

    private Devstack(Options options) {
        this.options = options;
        // SAGASHOP_SERVICE_JAVA_HOME in the services' environment (bench --jdk) wins over the launcher's environment.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(options.serviceEnv());
        this.serviceJvm = ServiceJvm.choose(env, Path.of(System.getProperty("java.home")));
        this.ports = options.ports();
        this.broker = new KafkaBroker(options.dataDir().resolve("kafka"), ports.kafka(), ports.kafkaController(),
                options.partitions(), kafkaClasspath(options.projectRoot()));
    }

    /**
     * Starts everything and waits until every part is ready. Nothing is started when a port is taken; on any failure
     * what did start is stopped again before the exception leaves.
     */
    public static Devstack start(Options options) throws IOException, InterruptedException {
        Devstack stack = create(options);
        stack.launch();
        return stack;
    }

    /** A devstack that has not started anything yet; {@link #launch()} starts it (lets a caller install a shutdown hook first). */
    public static Devstack create(Options options) {
        return new Devstack(options);
    }

    /** See {@link #start(Options)}. */
    public void launch() throws IOException, InterruptedException {
        checkPortsFree();
        try {
            startAll();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        if (options.fresh()) {
            deleteRecursively(options.dataDir());
        }
        Files.createDirectories(options.dataDir());
        DevKeys.in(options.dataDir()).ensure(); // tokens are verified with its public key, payment tokens sealed with its key
        postgres = PostgresServer.start(options.dataDir().resolve("postgres"), ports.postgres());
        broker.start(Duration.ofSeconds(60));
        List<String> topics = new ArrayList<>(Topics.ALL);
        Topics.CONSUMERS.forEach(c -> topics.add(Topics.deadLetter(c)));
        broker.createTopics(topics);

        List<Service> apps = new ArrayList<>(List.of(Service.SANDBOX));
        if (options.withServices()) {
            apps.addAll(Service.SAGA_SERVICES);
        }
        for (Service s : apps) {
            int instances = s == Service.SANDBOX ? 1 : options.replicas();
            List<ServiceProcess> replicas = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                String name = i == 0 ? s.module() : s.module() + "-" + i;
                replicas.add(new ServiceProcess(s, i, name, ports.of(s, i), jarOf(s), envFor(s, i),
                        options.dataDir().resolve("logs").resolve(name + ".log"), options.serviceJavaOptions(), serviceJvm));
            }
            services.put(s, replicas);
        }
        startServices(apps);
    }

    /** Starts every instance of the given services (in parallel) and waits until each is ready. */
    public void startServices(List<Service> which) throws IOException, InterruptedException {
        List<ServiceProcess> instances = new ArrayList<>();
        which.forEach(s -> instances.addAll(replicas(s)));
        startInstances(instances);
    }

    /** Starts the given instances (in parallel) and waits until each is ready. */
    public void startInstances(List<ServiceProcess> which) throws IOException, InterruptedException {
        if (closed) {
            throw new IOException("the devstack is stopping");
        }
        for (ServiceProcess s : which) {
            s.start();
        }
        ExecutorService waiters = Executors.newFixedThreadPool(which.size());
        try {
            List<Future<?>> ready = new ArrayList<>();
            for (ServiceProcess s : which) {
                ready.add(waiters.submit(() -> {
                    s.awaitReady(Duration.ofSeconds(90));
                    return null;
                }));
            }
            for (Future<?> f : ready) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    public Ports ports() {
        return ports;
    }

    public Options options() {
        return options;
    }

    /** The JVM the services run on. */
    public ServiceJvm serviceJvm() {
        return serviceJvm;
    }

    public KafkaBroker broker() {
        return broker;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** Stops PostgreSQL (the services lose their database until {@link #startPostgres}). */
    public synchronized void stopPostgres() throws IOException {
        postgres.close();
    }

    /** Starts PostgreSQL again on its data and port. */
    public synchronized void startPostgres() throws IOException {
        postgres = PostgresServer.start(options.dataDir().resolve("postgres"), ports.postgres());
    }

    /** A bearer token of an admin, signed with this stack's key (made once: valid for a day). */
    public String adminToken() {
        String token = adminToken;
        if (token == null) {
            adminToken = token = token(null);
        }
        return token;
    }

    /** A bearer token of customer {@code customerId} (an admin's when null), signed with this stack's key. */
    public String token(String customerId) {
        try {
            PrivateKey key = DevKeys.in(options.dataDir()).privateKey();
            return customerId == null ? Tokens.admin(key, Tokens.DEFAULT_TTL) : Tokens.customer(key, customerId, Tokens.DEFAULT_TTL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first instance of a service. */
    public ServiceProcess service(Service service) {
        return replicas(service).get(0);
    }

    /** Every instance of a service, the first one first. */
    public List<ServiceProcess> replicas(Service service) {
        List<ServiceProcess> replicas = services.get(service);
        if (replicas == null) {
            throw new IllegalArgumentException(service + " is not part of this devstack");
        }
        return replicas;
    }

    /** Every instance of every service. */
    public List<ServiceProcess> services() {
        List<ServiceProcess> all = new ArrayList<>();
        services.values().forEach(all::addAll);
        return all;
    }

    /** Every process this devstack started that is still alive (PostgreSQL is not a direct child; see {@link #postgres()}). */
    public List<ChildProcess> runningChildren() {
        List<ChildProcess> running = new ArrayList<>();
        services().stream().filter(ServiceProcess::isRunning).forEach(s -> running.add(s.process()));
        if (broker.isRunning()) {
            running.add(broker.process());
        }
        return running;
    }

    /** True once {@link #close()} has begun: children exiting from then on are being stopped, not crashing. */
    public boolean isStopping() {
        return closed;
    }

    /** Stops everything in reverse start order: services, sandbox, broker, PostgreSQL. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ServiceProcess> reversed = services();
        java.util.Collections.reverse(reversed);
        reversed.parallelStream().forEach(ServiceProcess::stop);
        broker.stop();
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
        }
    }

    private void checkPortsFree() throws IOException {
        List<String> taken = new ArrayList<>();
        for (int port : ports.all(options.withServices(), options.replicas())) {
            try (ServerSocket socket = new ServerSocket()) {
                // As the servers themselves bind: TIME_WAIT leftovers of a stack that just stopped do not count,
                // a listening process does.
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port));
            } catch (IOException e) {
                taken.add(String.valueOf(port));
            }
        }
        if (!taken.isEmpty()) {
            throw new PortTakenException("port" + (taken.size() > 1 ? "s " : " ") + String.join(", ", taken)
                    + (taken.size() > 1 ? " are" : " is") + " already in use (another SagaShop running? stop it, or find the"
                    + " process with: ss -ltnp | grep -E ':(" + String.join("|", taken) + ")\\b'); nothing was started");
        }
    }

    private Map<String, String> envFor(Service s, int instance) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(ports.of(s, instance)));
        // Its Kafka static membership id (<service>-<instance>): a restarted instance takes its own partitions back.
        env.put("SAGASHOP_INSTANCE", String.valueOf(instance));
        env.put("SAGASHOP_PG_HOST", "localhost");
        env.put("SAGASHOP_PG_PORT", String.valueOf(ports.postgres()));
        env.put("SAGASHOP_KAFKA_BOOTSTRAP", broker.bootstrapServers());
        env.put("SAGASHOP_SANDBOX_URL", "http://localhost:" + ports.services().get(Service.SANDBOX));
        env.put("SAGASHOP_JWT_PUBLIC_KEY_LOCATION", DevKeys.in(options.dataDir()).publicKey().toAbsolutePath().toString());
        env.put("SAGASHOP_PAYMENT_TOKEN_KEY_LOCATION", DevKeys.in(options.dataDir()).paymentTokenKey().toAbsolutePath().toString());
        env.putAll(options.serviceEnv());
        return env;
    }

    private Path jarOf(Service s) {
        return options.projectRoot().resolve(s.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The broker runs from the jars Maven copied next to the devstack jar. */
    private static String kafkaClasspath(Path projectRoot) {
        return projectRoot.resolve("devstack/target/lib").toAbsolutePath() + "/*";
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** A port the devstack needs is in use; nothing was started. */
    public static final class PortTakenException extends IOException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
