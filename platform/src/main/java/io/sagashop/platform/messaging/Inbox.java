package io.sagashop.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.sagashop.platform.store.SqlTransaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The consumed-message log: {@code (consumer, eventId)} is recorded in the same transaction as the effect, so a
 * redelivered event finds its row and changes nothing.
 */
@ApplicationScoped
public class Inbox {

    /**
     * Records the deliveries of a transaction in one statement. For each {@code (consumers[i], eventIds[i])}, true when
     * that consumer has not processed the event before (and now has, once the transaction commits); an event listed
     * twice is a first delivery only the first time.
     */
    public Uni<boolean[]> firstDeliveries(SqlTransaction tx, List<String> consumers, List<UUID> eventIds) {
        return tx.preparedQuery("""
                        insert into inbox (consumer, event_id) select * from unnest($1::text[], $2::uuid[])
                        on conflict do nothing returning consumer, event_id""")
                .execute(Tuple.of(consumers.toArray(String[]::new), eventIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Set<Delivery> inserted = new HashSet<>();
                    for (Row r : rows) {
                        inserted.add(new Delivery(r.getString("consumer"), r.getUUID("event_id")));
                    }
                    boolean[] first = new boolean[eventIds.size()];
                    for (int i = 0; i < first.length; i++) {
                        first[i] = inserted.remove(new Delivery(consumers.get(i), eventIds.get(i)));
                    }
                    return first;
                });
    }

    private record Delivery(String consumer, UUID eventId) {
    }
}
