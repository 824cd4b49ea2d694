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
import io.sagashop.readmodel.store.ViewStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.List;

/**
 * Projects every saga event into the order documents and the summary views. Live: one transaction per event
 * (inbox, then every generation being fed, then a notification for the dashboard), acknowledged after the commit.
 * The same {@link #apply} replays history into a new generation during a rebuild.
 */
@ApplicationScoped
public class Projector {

    private static final String CONSUMER = "read-model";
    private static final Set<EventType> EVERY_EVENT = EnumSet.allOf(EventType.class);

    private final EventProcessor processor;
    private final ViewStore store;

    Projector(EventProcessor processor, ViewStore store) {
        this.processor = processor;
        this.store = store;
    }

    @Incoming("order-events")
    @Incoming("inventory-events")
    @Incoming("payment-events")
    @Incoming("shipping-events")
    public Uni<Void> onEvent(Message<String> record) {
        // The trace the event was published in (its header), as a rebuild reads it too; not this handling's span,
        // which starts a new trace when the event carries none.
        String traceId = Tracing.traceId(record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> Tracing.traceparent(m.getHeaders())).orElse(null));
        return processor.dispatch(CONSUMER, record, EVERY_EVENT, (tx, envelope, event, traceparent) ->
                projectLive(tx, envelope, event, traceId).replaceWith(List.<EventEnvelope>of()));
    }

    private Uni<Void> projectLive(SqlConnection tx, EventEnvelope envelope, SagaEvent event, String traceId) {
        ProjectedEvent projected = projected(envelope, event, traceId);
        return store.lockOrder(tx, envelope.orderId())
                .chain(() -> store.fedGenerations(tx))
                .chain(generations -> {
                    Uni<Boolean> liveChanged = Uni.createFrom().item(false);
                    for (ViewStore.Generation g : generations) {
                        liveChanged = liveChanged.chain(changed -> apply(tx, g.id(), envelope, projected)
                                .map(applied -> changed || (applied && g.live())));
                    }
                    return liveChanged;
                })
                .chain(changed -> changed ? store.notifyChanged(tx, envelope.orderId()) : Uni.createFrom().voidItem());
    }

    /**
     * Applies one event to one generation (the caller holds the order's lock): record it, recompute the document from
     * every event of the order, and move the summary views by the difference. Returns false for a duplicate.
     */
    public Uni<Boolean> apply(SqlConnection tx, int generation, EventEnvelope envelope, ProjectedEvent event) {
        String orderId = envelope.orderId();
        return store.record(tx, generation, envelope, event).chain(fresh -> !fresh ? Uni.createFrom().item(false)
                : store.events(tx, generation, orderId).chain(events -> {
            OrderDocument after = OrderDocuments.project(orderId, events).projectedAt(Instant.now());
            return store.document(tx, generation, orderId).chain(before -> store.saveDocument(tx, generation, after)
                    .chain(() -> store.applyDelta(tx, generation, ViewDelta.between(before, after))));
        }).replaceWith(true));
    }

    /** The event as the read model keeps it (service from the event type, trace id from the header). */
    public static ProjectedEvent projected(EventEnvelope envelope, SagaEvent event, String traceId) {
        return new ProjectedEvent(envelope.eventId(), OrderDocuments.serviceOf(EventType.of(event).topic()),
                envelope.sequence(), envelope.occurredAt(), traceId, event);
    }
}
