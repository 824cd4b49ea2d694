package io.sagashop.platform.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The end of a record's handling: acknowledged after its commit (the connector commits an offset once every record
 * before it is acknowledged), or handed to the dead-letter topic when it failed for good.
 */
@ApplicationScoped
public class RecordSettlement {

    private final MeterRegistry metrics;
    private volatile boolean stopping;

    RecordSettlement(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Whether the service is stopping: failures then say nothing about the records (its pool is closed). */
    boolean stopping() {
        return stopping;
    }

    /** Acknowledges a handled record, or hands a failed one to the dead-letter topic. */
    Uni<Void> settle(String consumer, String topic, Message<String> record, Throwable failure) {
        if (failure == null) {
            return Uni.createFrom().completionStage(record.ack());
        }
        // Failing because the service is stopping says nothing about the record: leave it unacknowledged, so its
        // offset is not committed and the next start processes it.
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(record.nack(failure))
                .invoke(() -> metrics.counter("sagashop.dead.letters", "consumer", consumer, "topic", topic).increment());
    }
}
