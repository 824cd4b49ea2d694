package io.sagashop.platform.config;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Every SagaShop setting ({@code sagashop.*}) with its default, in one place. A service overrides what it needs in
 * its application.properties; the environment overrides both (SAGASHOP_CONSUMER_CONCURRENCY, ...). Where the
 * infrastructure is (PostgreSQL, Kafka, the sandbox) lives in the platform's microprofile-config.properties, because
 * Quarkus' own settings refer to it. Static-init safe: the REST filters that hold requests to the body limit are made
 * while the application starts (in a native executable, the limit is the one set at build time).
 */
@StaticInitSafe
@ConfigMapping(prefix = "sagashop")
public interface SagaShopConfig {

    Consumer consumer();

    Outbox outbox();

    Saga saga();

    Lock lock();

    Http http();

    Health health();

    Order order();

    Notifications notifications();

    Rebuild rebuild();

    PaymentToken paymentToken();

    Jwt jwt();

    Pg pg();

    Db db();

    Kafka kafka();

    Sandbox sandbox();

    /** This instance's number among the service's replicas (its Kafka static membership id is service-instance). */
    String instance();

    /**
     * How a service consumes the saga topics (io.sagashop.platform.messaging.EventProcessor): records are handled in
     * batches, one transaction per batch; up to {@code concurrency} batches run at a time, and an order with a record in
     * a running batch waits for it (one order's records in order). A service whose steps lock rows shared between
     * orders (stock, summary views) runs several only with batch-size 1, or two batches could lock those rows in
     * different orders and deadlock; one whose steps call a provider uses batch-size 1 too, so that a slow call holds
     * up only its own order. Each running batch holds a connection: concurrency stays below the pool size.
     */
    interface Consumer {
        @WithDefault("1")
        int concurrency();

        @WithDefault("256")
        int batchSize();

        /** Records admitted but not yet committed, per consumer: beyond this the consumer stops pulling from Kafka. */
        @WithDefault("1024")
        int maxPending();

        /** The longest wait between two attempts of a record that failed transiently. */
        @WithDefault("2s")
        Duration maxBackoff();
    }

    /** The outbox relay that publishes the event log to Kafka (io.sagashop.platform.messaging.OutboxRelay). */
    interface Outbox {
        @WithDefault("500")
        int batchSize();

        /** How often the relay looks for new events when it was not woken by a commit. */
        @WithDefault("200ms")
        Duration pollInterval();

        @WithDefault("true")
        boolean relayEnabled();
    }

    interface Saga {
        /** How long an order may take before it is cancelled with reason TIMEOUT. */
        @WithDefault("30s")
        Duration deadline();

        /** How long a cancellation may wait for its compensations before they are requested again. */
        @WithDefault("30s")
        Duration compensationWindow();

        /**
         * Payment and shipping wait for an unavailable provider (retrying the step) until this long before the order's
         * deadline, then give up: the order ends with the provider's reason instead of TIMEOUT. Larger than the longest
         * wait between two attempts plus an attempt, so that the attempt that gives up comes before the deadline.
         */
        @WithDefault("5s")
        Duration giveUpBeforeDeadline();

        /** How often the deadline sweeper looks for overdue orders (read by @Scheduled). */
        @WithDefault("1s")
        Duration sweepInterval();

        /** How often stuck cancellations are looked for (read by @Scheduled). */
        @WithDefault("5s")
        Duration redriveInterval();
    }

    interface Lock {
        /** A lock holder's session silent this long is ended by PostgreSQL, and its lock freed for another instance. */
        @WithDefault("10s")
        Duration idleTimeout();
    }

    interface Http {
        /** The largest request body; above it 413 with a problem body. */
        @WithDefault("64K")
        MemorySize maxBodySize();
    }

    interface Health {
        /** How long readiness waits for the broker to answer. */
        @WithDefault("3s")
        Duration kafkaTimeout();
    }

    interface Order {
        /** A snapshot of the order's state every this many events. */
        @WithDefault("4")
        int snapshotEvery();
    }

    interface Notifications {
        /** How often pending emails are sent (read by @Scheduled). */
        @WithDefault("1s")
        Duration sendInterval();
    }

    interface Rebuild {
        /** Orders replayed at once when the read model is rebuilt. */
        @WithDefault("8")
        int concurrency();
    }

    interface PaymentToken {
        /** The file with the key order seals payment tokens with and payment opens them with (32 bytes, base64). */
        @WithDefault("keys/payment-token.key")
        String keyLocation();
    }

    interface Jwt {
        /** The public key bearer tokens are verified with (mp.jwt.verify.publickey.location refers to it). */
        @WithDefault("keys/public.pem")
        String publicKeyLocation();
    }

    interface Pg {
        String host();

        int port();

        String user();

        String password();
    }

    interface Db {
        /** The service's own database. */
        Optional<String> name();
    }

    interface Kafka {
        String bootstrap();
    }

    interface Sandbox {
        /** Where the external providers are (the sandbox locally). */
        String url();
    }
}
