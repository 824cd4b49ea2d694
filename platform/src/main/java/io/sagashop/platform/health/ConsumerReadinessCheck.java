package io.sagashop.platform.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ready only once every Kafka consumer of the service has joined its group and received its partitions: a service that
 * answers HTTP but does not consume yet would let orders run into their deadline.
 */
@Readiness
@ApplicationScoped
public class ConsumerReadinessCheck implements HealthCheck {

    private static final Pattern INCOMING = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.connector");

    private final ConsumerAssignments assignments;
    private final Set<String> groups = new TreeSet<>();

    ConsumerReadinessCheck(ConsumerAssignments assignments, Config config) {
        this.assignments = assignments;
        for (String name : config.getPropertyNames()) {
            Matcher m = INCOMING.matcher(name);
            if (m.matches() && "smallrye-kafka".equals(config.getOptionalValue(name, String.class).orElse(""))
                    && config.getOptionalValue("mp.messaging.incoming." + m.group(1) + ".enabled", Boolean.class).orElse(true)) {
                groups.add(config.getOptionalValue("mp.messaging.incoming." + m.group(1) + ".group.id", String.class)
                        .or(() -> config.getOptionalValue("mp.messaging.connector.smallrye-kafka.group.id", String.class))
                        .orElseGet(() -> config.getValue("quarkus.application.name", String.class)));
            }
        }
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Kafka consumers");
        boolean up = true;
        for (String group : groups) {
            boolean joined = assignments.joined(group);
            up &= joined;
            response.withData(group, joined ? assignments.partitions(group).size() + " partition(s)" : "waiting for its assignment");
        }
        return response.status(up).build();
    }
}
