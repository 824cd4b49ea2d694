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
import io.sagashop.contracts.events.OrderPlaced;
import io.sagashop.contracts.events.SagaEvent;
import io.sagashop.order.store.OrderStore;
import io.sagashop.platform.messaging.EventProcessor;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.sagashop.platform.store.SqlTransaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Emails the customer when their order is placed and when it ends (COMPLETED or CANCELLED), once each. Just another
 * consumer of order-events (nothing else in the saga knows about it): the email to send is recorded in
 * {@code notifications} in the same transaction as the inbox row, so a redelivered event finds the row. A sender
 * claims the row, mails it, and marks it sent only once the mail server accepted it; a crash in between sends it again
 * after the claim expires, with the same Message-ID, so a mail system that saw it already drops the repeat.
 */
@ApplicationScoped
public class OutcomeNotifier {

    private static final Logger LOG = Logger.getLogger(OutcomeNotifier.class);
    private static final String CONSUMER = "order-notifications";
    private static final Set<EventType> REACTS_TO = EnumSet.of(EventType.ORDER_PLACED, EventType.ORDER_COMPLETED,
            EventType.ORDER_CANCELLED);

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

    private Uni<List<EventEnvelope>> record(SqlTransaction tx, EventEnvelope envelope, SagaEvent event, String traceparent) {
        if (event instanceof OrderPlaced placed) {
            return placed.email() == null ? Uni.createFrom().item(List.of()) : insert(tx, envelope.orderId(), "PLACED", placed.email());
        }
        if (!(event instanceof OrderCompleted) && !(event instanceof OrderCancelled)) {
            return Uni.createFrom().item(List.of());
        }
        String outcome = event instanceof OrderCompleted ? "COMPLETED" : "CANCELLED";
        return store.load(tx, envelope.orderId()).chain(order -> order.email() == null
                ? Uni.createFrom().item(List.of())
                : insert(tx, order.orderId(), outcome, order.email()));
    }

    private static Uni<List<EventEnvelope>> insert(SqlTransaction tx, String orderId, String kind, String email) {
        return tx.preparedQuery("insert into notifications (order_id, kind, email) values ($1, $2, $3) on conflict do nothing")
                .execute(Tuple.of(orderId, kind, email))
                .replaceWith(List.of());
    }

    /** Sends every recorded notification that was not sent yet (new ones within a second), each claimed for a minute. */
    @Scheduled(every = "${sagashop.notifications.send-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> resendPending() {
        return pool.preparedQuery("""
                        update notifications set claimed_until = now() + interval '1 minute'
                        where (order_id, kind) in (select order_id, kind from notifications
                          where status = 'PENDING' and (claimed_until is null or claimed_until < now())
                          order by created_at limit 100 for update skip locked)
                        returning order_id, kind, email""")
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
        String kind = row.getString("kind");
        Mail mail = mail(orderId, kind, row.getString("email"));
        return mailer.send(mail)
                .chain(() -> pool.preparedQuery("update notifications set status = 'SENT', sent_at = now() where order_id = $1 and kind = $2")
                        .execute(Tuple.of(orderId, kind)))
                .replaceWithVoid()
                // Not accepted: the claim is released, the next run tries again.
                .onFailure().call(e -> pool.preparedQuery("update notifications set claimed_until = null where order_id = $1 and kind = $2")
                        .execute(Tuple.of(orderId, kind)));
    }

    /** The email of one notification; its Message-ID is the same every time it is sent. */
    static Mail mail(String orderId, String kind, String to) {
        String subject = "Your SagaShop order " + orderId + switch (kind) {
            case "PLACED" -> " was received";
            case "COMPLETED" -> " is completed";
            default -> " is cancelled";
        };
        String text = switch (kind) {
            case "PLACED" -> "We received order " + orderId + " and are processing it. We will write again when it is complete.";
            case "COMPLETED" -> "Good news: order " + orderId + " is complete and on its way.";
            default -> "Order " + orderId + " was cancelled. Any charge has been refunded and nothing will be shipped.";
        };
        return Mail.withText(to, subject, text).addHeader("Message-ID", "<" + orderId + "." + kind.toLowerCase() + "@sagashop.local>");
    }
}
