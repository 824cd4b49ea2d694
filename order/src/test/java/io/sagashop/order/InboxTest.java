package io.sagashop.order;

import io.sagashop.platform.store.SqlTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.platform.messaging.Inbox;
import io.sagashop.testing.SagaShopTestResources;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The inbox records a whole batch's deliveries in one statement and tells each record whether it is new. */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class InboxTest {

    @Inject
    Inbox inbox;

    @Inject
    Pool pool;

    @Test
    void anEventIsAFirstDeliveryOncePerConsumerEvenWhenABatchHoldsItTwice() {
        UUID event = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        List<String> consumers = List.of("inbox-test", "inbox-test", "inbox-test-2", "inbox-test");
        List<UUID> events = List.of(event, event, event, other);

        assertArrayEquals(new boolean[]{true, false, true, true}, record(consumers, events),
                "the second copy in the batch is a redelivery; another consumer sees the event afresh");
        assertArrayEquals(new boolean[]{false, false, false, false}, record(consumers, events),
                "after the commit every one of them is a redelivery");
    }

    @Test
    void aRolledBackBatchLeavesNoInboxRows() {
        UUID event = UUID.randomUUID();
        try {
            pool.withTransaction(c -> inbox.firstDeliveries(SqlTransaction.of(c), List.of("inbox-test"), List.of(event))
                            .chain(first -> Uni.createFrom().failure(new IllegalStateException("step failed"))))
                    .await().atMost(Duration.ofSeconds(10));
        } catch (IllegalStateException expected) {
            // the step's failure rolls the transaction back
        }
        assertArrayEquals(new boolean[]{true}, record(List.of("inbox-test"), List.of(event)));
    }

    private boolean[] record(List<String> consumers, List<UUID> events) {
        return pool.withTransaction(c -> inbox.firstDeliveries(SqlTransaction.of(c), consumers, events)).await().atMost(Duration.ofSeconds(10));
    }
}
