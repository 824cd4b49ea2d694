package io.sagashop.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sagashop.contracts.Topics;
import io.sagashop.devstack.PostgresServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Kafka broker (KRaft, in this JVM) and the real PostgreSQL 17 server, started once per test JVM and shared
 * by every {@code @QuarkusTest} of a module; no in-memory stand-ins. Each service connects to its own database; the
 * saga topics and dead-letter topics exist before the application starts.
 */
public class SagaShopTestResources implements QuarkusTestResourceLifecycleManager {

    public static final int PARTITIONS = 3;

    private static KafkaClusterTestKit kafka;
    private static PostgresServer postgres;

    @Override
    public Map<String, String> start() {
        startShared();
        return Map.of(
                "sagashop.kafka.bootstrap", kafka.bootstrapServers(),
                "sagashop.pg.host", "localhost",
                "sagashop.pg.port", String.valueOf(postgres.port()));
    }

    @Override
    public void stop() {
        // Shared for the whole JVM: a later test profile restarts the application, not the infrastructure.
    }

    public static synchronized String kafkaBootstrapServers() {
        startShared();
        return kafka.bootstrapServers();
    }

    public static synchronized PostgresServer postgres() {
        startShared();
        return postgres;
    }

    private static synchronized void startShared() {
        if (kafka != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("sagashop-test-");
            postgres = PostgresServer.start(dir.resolve("postgres"), freePort());
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setBaseDirectory(dir.resolve("kafka")).build())
                    .setConfigProp("num.partitions", String.valueOf(PARTITIONS))
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", String.valueOf(PARTITIONS))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            kafka = cluster;
            createTopics();
            Runtime.getRuntime().addShutdownHook(new Thread(SagaShopTestResources::stopShared, "sagashop-test-infra-stop"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test infrastructure (Kafka, PostgreSQL)", e);
        }
    }

    private static void createTopics() throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        Topics.ALL.forEach(t -> topics.add(new NewTopic(t, PARTITIONS, (short) 1).configs(java.util.Map.of("retention.ms", "-1"))));
        Topics.CONSUMERS.forEach(c -> topics.add(new NewTopic(Topics.deadLetter(c), 1, (short) 1)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void stopShared() {
        try {
            kafka.close();
        } catch (Exception e) {
            System.err.println("stopping test Kafka: " + e);
        }
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("stopping test PostgreSQL: " + e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
