package io.sagashop.readmodel.messaging;

import java.util.Set;
import java.util.EnumSet;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.EventType;
import io.sagashop.contracts.events.SagaEvent;
import io.sagashop.platform.messaging.EventProcessor;
import io.sagashop.platform.tracing.Tracing;
import io.sagashop.readmodel.domain.OrderDocument;
import io.sagashop.readmodel.domain.OrderDocuments;
import io.sagashop.readmodel.domain.ProjectedEvent;
import io.sagashop.readmodel.domain.ViewDelta;
import io.sagashop.readmodel.store.ProjectionStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.sagashop.platform.store.SqlTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Projects every saga event into the order documents and the summary views. Live, in batches (one transaction for
 * the records queued meanwhile): for each event the inbox row, then in every generation being fed the event row and
 * the order's recomputed document; the batch's summary-view changes are summed and written once before the commit
 * (so the rows that every order moves are locked once per batch, in a fixed order, and only at its end), and the
 * dashboard is told which documents changed. Acknowledged after the commit.
 * The same {@link #apply} replays history into a new generation during a rebuild, one event at a time.
 */
@ApplicationScoped
public class Projector {

    private static final String CONSUMER = "read-model";
    private static final Set<EventType> EVERY_EVENT = EnumSet.allOf(EventType.class);

    private final EventProcessor processor;
    private final ProjectionStore store;

    /** What a batch's events did to the summary views (per generation, written in generation order) and to live documents. */
    static final class Changes {
        final Map<Integer, ViewDelta> byGeneration = new TreeMap<>();
        final Set<String> liveDocuments = new TreeSet<>();
    }

    private final EventProcessor.PerTransaction<Changes> batch = new EventProcessor.PerTransaction<>() {
        @Override
        public Changes begin() {
            return new Changes();
        }

        @Override
        public Uni<Void> beforeCommit(SqlTransaction tx, Changes changes) {
            // Pipelined, one round trip; PostgreSQL runs them in the order sent, which keeps the lock order.
            List<Uni<Void>> writes = new ArrayList<>();
            changes.byGeneration.forEach((generation, delta) -> writes.add(store.applyDelta(tx, generation, delta)));
            if (!changes.liveDocuments.isEmpty()) {
                writes.add(store.notifyChanged(tx, changes.liveDocuments));
            }
            return writes.isEmpty() ? Uni.createFrom().voidItem() : Uni.combine().all().unis(writes).discardItems();
        }
    };

    Projector(EventProcessor processor, ProjectionStore store) {
        this.processor = processor;
        this.store = store;
    }

    @Incoming("saga-events")
    public Uni<Void> onEvent(Message<String> record) {
        // The trace the event was published in (its header), as a rebuild reads it too; not this handling's span,
        // which starts a new trace when the event carries none.
        String traceId = Tracing.traceId(record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> Tracing.traceparent(m.getHeaders())).orElse(null));
        return processor.dispatch(CONSUMER, record, EVERY_EVENT, batch, (tx, changes, envelope, event, traceparent) ->
                projectLive(tx, changes, envelope, event, traceId).replaceWith(List.<EventEnvelope>of()));
    }

    private Uni<Void> projectLive(SqlTransaction tx, Changes changes, EventEnvelope envelope, SagaEvent event, String traceId) {
        ProjectedEvent projected = projected(envelope, event, traceId);
        // Pipelined: the generations are read after the lock is held all the same (statements run in the order sent).
        return Uni.combine().all().unis(store.lockOrder(tx, envelope.orderId()), store.fedGenerations(tx)).asTuple()
                .chain(locked -> {
                    List<ProjectionStore.Generation> generations = locked.getItem2();
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (ProjectionStore.Generation g : generations) {
                        all = all.call(() -> project(tx, g.id(), envelope, projected).invoke(delta -> {
                            if (delta != null) {
                                changes.byGeneration.merge(g.id(), delta, ViewDelta::plus);
                                if (g.live()) {
                                    changes.liveDocuments.add(envelope.orderId());
                                }
                            }
                        }));
                    }
                    return all;
                });
    }

    /**
     * Applies one event to one generation at once, summary views included (the caller holds the order's lock).
     * Returns false for a duplicate.
     */
    public Uni<Boolean> apply(SqlTransaction tx, int generation, EventEnvelope envelope, ProjectedEvent event) {
        return project(tx, generation, envelope, event).chain(delta -> delta == null ? Uni.createFrom().item(false)
                : store.applyDelta(tx, generation, delta).replaceWith(true));
    }

    /**
     * Records the event in the generation and recomputes the order's document from every event of the order; returns
     * how the summary views must move, or null for a duplicate (nothing changed).
     */
    private Uni<ViewDelta> project(SqlTransaction tx, int generation, EventEnvelope envelope, ProjectedEvent event) {
        return store.record(tx, generation, envelope, event).chain(recorded -> {
            if (!recorded.fresh()) {
                return Uni.createFrom().nullItem();
            }
            OrderDocument after = OrderDocuments.project(envelope.orderId(), recorded.events()).projectedAt(Instant.now());
            return store.saveDocument(tx, generation, after).replaceWith(ViewDelta.between(recorded.before(), after));
        });
    }

    /** The event as the read model keeps it (service from the event type, trace id from the header). */
    public static ProjectedEvent projected(EventEnvelope envelope, SagaEvent event, String traceId) {
        return new ProjectedEvent(envelope.eventId(), OrderDocuments.serviceOf(EventType.of(event).topic()),
                envelope.sequence(), envelope.occurredAt(), traceId, event);
    }
}
