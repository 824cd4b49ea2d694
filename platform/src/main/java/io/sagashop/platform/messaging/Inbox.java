package io.sagashop.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * The consumed-message log: {@code (consumer, eventId)} is recorded in the same transaction as the effect, so a
 * redelivered event finds its row and changes nothing.
 */
@ApplicationScoped
public class Inbox {

    /** True when this consumer has not processed the event before (and now has, once the transaction commits). */
    public Uni<Boolean> firstDelivery(SqlConnection tx, String consumer, UUID eventId) {
        return tx.preparedQuery("insert into inbox (consumer, event_id) values ($1, $2) on conflict do nothing")
                .execute(Tuple.of(consumer, eventId))
                .map(result -> result.rowCount() == 1);
    }
}
