package io.sagashop.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real single-node Kafka 4 broker in KRaft mode (broker and controller in one process), run as a child process
 * so that it can be stopped, killed and restarted like in production. Its log directory survives restarts.
 */
public final class KafkaBroker {

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int partitions;
    private final String classpath;
    private ChildProcess process;

    public KafkaBroker(Path dataDir, int port, int controllerPort, int partitions, String classpath) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.partitions = partitions;
        this.classpath = classpath;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Formats the log directory on first use, starts the broker and waits until it answers. */
    public synchronized void start(Duration timeout) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        Path config = writeConfig();
        Path logDir = dataDir.resolve("log");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(config);
        }
        process = ChildProcess.start("kafka", List.of(ChildProcess.javaBinary(), "-Xms128m", "-Xmx768m",
                "-XX:+UseG1GC", "-Djava.awt.headless=true", "-cp", classpath, "kafka.Kafka", config.toString()),
                Map.of(), dataDir.resolve("kafka.log"));
        awaitAnswer(timeout);
    }

    /** Graceful stop (SIGTERM: the broker flushes and closes its logs). */
    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
        }
    }

    /** kill -9: what a crash looks like to the clients. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized ChildProcess process() {
        return process;
    }

    /** Creates each topic with this broker's partition count, if it does not exist yet. */
    /** Saga topics keep every event for ever: the read model's rebuild replays them from the beginning. */
    static java.util.Map<String, String> topicConfig(String topic) {
        return io.sagashop.contracts.Topics.ALL.contains(topic) ? java.util.Map.of("retention.ms", "-1", "retention.bytes", "-1")
                : java.util.Map.of();
    }

    public void createTopics(Collection<String> topics) throws InterruptedException {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1).configs(topicConfig(t))).collect(Collectors.toList());
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics " + missing, e.getCause());
                }
            }
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            throw new IllegalStateException("broker at " + bootstrapServers() + " does not list topics", e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    private void awaitAnswer(Duration timeout) throws InterruptedException, IOException {
        Instant until = Instant.now().plus(timeout);
        try (Admin admin = admin()) {
            while (Instant.now().isBefore(until)) {
                if (!process.isAlive()) {
                    throw new IOException("Kafka exited during startup (code " + process.exitCode() + "); see "
                            + process.logFile() + "\n" + process.tail(20));
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    Thread.sleep(200);
                }
            }
        }
        throw new IOException("Kafka did not answer on " + bootstrapServers() + " within " + timeout + "; see " + process.logFile());
    }

    private void format(Path config) throws IOException, InterruptedException {
        ChildProcess formatter = ChildProcess.start("kafka-format", List.of(ChildProcess.javaBinary(), "-cp", classpath,
                "kafka.tools.StorageTool", "format", "--config", config.toString(),
                "--cluster-id", Uuid.randomUuid().toString(), "--ignore-formatted"), Map.of(), dataDir.resolve("kafka-format.log"));
        int code = formatter.waitFor(Duration.ofSeconds(60));
        if (code != 0) {
            throw new IOException("formatting the Kafka log directory failed (" + code + "):\n" + formatter.tail(20));
        }
    }

    private Path writeConfig() throws IOException {
        Files.createDirectories(dataDir);
        String config = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir.resolve("log"),
                "num.partitions=" + partitions,
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=" + Math.max(partitions, 1),
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "");
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, config);
        return file;
    }
}
