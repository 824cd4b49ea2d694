package io.sagashop.platform.health;

import io.sagashop.platform.config.SagaShopConfig;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Ready only while the broker answers. Unlike Quarkus' own Kafka check (which waits on the admin client's
 * 60-second default), this one answers DOWN within {@code sagashop.health.kafka-timeout}, without blocking a thread,
 * so that an orchestrator's probe sees "not ready" instead of a probe timeout.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements AsyncHealthCheck {

    private static final String NAME = "Kafka broker";

    private final String bootstrapServers;
    private final Duration timeout;
    private volatile Admin admin;

    KafkaReadinessCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                        SagaShopConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = config.health().kafkaTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int millis = (int) timeout.toMillis();
        return Uni.createFrom().completionStage(() -> admin()
                        .describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes().toCompletionStage())
                .map(nodes -> HealthCheckResponse.named(NAME).up()
                        .withData("nodes", nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(",")))
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("bootstrap.servers", bootstrapServers)
                        .withData("reason", String.valueOf(e.getMessage()))
                        .build());
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    int millis = (int) timeout.toMillis();
                    admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            AdminClientConfig.CLIENT_ID_CONFIG, "readiness-check",
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
                }
                current = admin;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
