package io.sagashop.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sagashop.contracts.Topics;
import io.restassured.RestAssured;
import io.sagashop.devstack.PostgresServer;
import io.sagashop.devstack.auth.DevKeys;
import io.sagashop.devstack.auth.Tokens;
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
    private static DevKeys keys;

    /**
     * Also a token signing key pair: the application verifies with its public key, and every REST Assured request
     * that names no {@code Authorization} carries an admin's token ({@link Tokens#admin}); a test about identity sends
     * its own (see {@link #token}).
     */
    @Override
    public Map<String, String> start() {
        startShared();
        signRequestsAsAdmin();
        return Map.of(
                "sagashop.kafka.bootstrap", kafka.bootstrapServers(),
                "sagashop.pg.host", "localhost",
                "sagashop.pg.port", String.valueOf(postgres.port()),
                "sagashop.jwt.public-key-location", keys.publicKey().toAbsolutePath().toString(),
                "sagashop.payment-token.key-location", keys.paymentTokenKey().toAbsolutePath().toString());
    }

    private static boolean signing;

    private static synchronized void signRequestsAsAdmin() {
        if (signing) {
            return;
        }
        signing = true;
        String admin = "Bearer " + token(null);
        RestAssured.filters((request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", admin);
            }
            return context.next(request, response);
        });
    }

    /** The private key the application trusts in this test JVM (to sign a token with unusual claims). */
    public static synchronized java.security.PrivateKey signingKey() {
        startShared();
        try {
            return keys.privateKey();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Seals and opens payment tokens with the key the application in this test JVM uses. */
    public static synchronized io.sagashop.contracts.PaymentTokenSeal paymentTokenSeal() {
        startShared();
        try {
            return new io.sagashop.contracts.PaymentTokenSeal(java.util.Base64.getDecoder()
                    .decode(Files.readString(keys.paymentTokenKey()).strip()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bearer token of this test JVM's key: customer {@code customerId}'s, or an admin's when null. */
    public static synchronized String token(String customerId) {
        startShared();
        try {
            var key = keys.privateKey();
            return customerId == null ? Tokens.admin(key, Tokens.DEFAULT_TTL) : Tokens.customer(key, customerId, Tokens.DEFAULT_TTL);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
            keys = DevKeys.in(dir).ensure();
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
