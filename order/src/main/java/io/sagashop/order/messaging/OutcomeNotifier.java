package io.sagashop.order.messaging;

import java.util.Set;
import java.util.EnumSet;
import io.sagashop.contracts.EventType;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.OrderCancelled;
import io.sagashop.contracts.events.OrderCompleted;
import io.sagashop.contracts.events.SagaEvent;
import io.sagashop.order.store.OrderStore;
import io.sagashop.platform.messaging.EventProcessor;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Emails the customer once when their order ends COMPLETED or CANCELLED. Just another consumer of order-events
 * (nothing else in the saga knows about it): the outcome is recorded in {@code notifications} in the same transaction
 * as the inbox row; {@link #resendPending()} sends it and marks it sent. A redelivered event finds the row, so a
 * customer gets one email per order, also across restarts.
 */
@ApplicationScoped
public class OutcomeNotifier {

    private static final Logger LOG = Logger.getLogger(OutcomeNotifier.class);
    private static final String CONSUMER = "order-notifications";
    private static final Set<EventType> REACTS_TO = EnumSet.of(EventType.ORDER_COMPLETED, EventType.ORDER_CANCELLED);

    private final EventProcessor processor;
    private final OrderStore store;
    private final Pool pool;
    private final ReactiveMailer mailer;

    OutcomeNotifier(EventProcessor processor, OrderStore store, Pool pool, ReactiveMailer mailer) {
        this.processor = processor;
        this.store = store;
        this.pool = pool;
        this.mailer = mailer;
    }

    @Incoming("order-outcomes")
    public Uni<Void> onOrderEvent(Message<String> record) {
        return processor.dispatch(CONSUMER, record, REACTS_TO, this::record);
    }

    private Uni<List<EventEnvelope>> record(SqlConnection tx, EventEnvelope envelope, SagaEvent event, String traceparent) {
        if (!(event instanceof OrderCompleted) && !(event instanceof OrderCancelled)) {
            return Uni.createFrom().item(List.of());
        }
        String outcome = event instanceof OrderCompleted ? "COMPLETED" : "CANCELLED";
        return store.load(tx, envelope.orderId()).chain(order -> order.email() == null
                ? Uni.createFrom().item(List.of())
                : tx.preparedQuery("insert into notifications (order_id, outcome, email) values ($1, $2, $3) on conflict do nothing")
                .execute(Tuple.of(order.orderId(), outcome, order.email()))
                .replaceWith(List.of()));
    }

    /** Sends every recorded notification that was not sent yet (new ones within a second). */
    @Scheduled(every = "${sagashop.notifications.send-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> resendPending() {
        return pool.preparedQuery("select order_id, outcome, email from notifications where status = 'PENDING' limit 100")
                .execute()
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(this::send)
                .collect().last()
                .onFailure().invoke(e -> LOG.warn("sending order notifications failed; retried later", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> send(Row row) {
        String orderId = row.getString("order_id");
        String outcome = row.getString("outcome");
        Mail mail = Mail.withText(row.getString("email"), "Your SagaShop order " + orderId + " is " + outcome.toLowerCase(),
                outcome.equals("COMPLETED")
                        ? "Good news: order " + orderId + " is complete and on its way."
                        : "Order " + orderId + " was cancelled. Any charge has been refunded and nothing will be shipped.");
        // Mark first, conditionally: two senders racing for the same row send it once.
        return pool.preparedQuery("update notifications set status = 'SENT', sent_at = now() where order_id = $1 and status = 'PENDING'")
                .execute(Tuple.of(orderId))
                .chain(updated -> updated.rowCount() == 1
                        ? mailer.send(mail).onFailure().call(e -> pool.preparedQuery(
                                "update notifications set status = 'PENDING', sent_at = null where order_id = $1")
                                .execute(Tuple.of(orderId)))
                        : Uni.createFrom().voidItem());
    }
}
