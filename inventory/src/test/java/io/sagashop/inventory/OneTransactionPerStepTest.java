package io.sagashop.inventory;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.contracts.events.InventoryReserved;
import io.sagashop.contracts.events.PricedLine;
import io.sagashop.inventory.store.ProductEntity;
import io.sagashop.inventory.store.StockStore;
import io.sagashop.platform.messaging.Conflicts;
import io.sagashop.platform.messaging.EventLog;
import io.sagashop.platform.messaging.Failures;
import io.sagashop.platform.messaging.Inbox;
import io.sagashop.platform.store.Transactions;
import io.sagashop.testing.SagaShopTestResources;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A participant's step writes its Panache entities, its inbox row and its events in one transaction: all of it commits
 * together, or none of it does. Checked against the real PostgreSQL, reading back through the plain pool.
 */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class OneTransactionPerStepTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Transactions transactions;
    @Inject
    StockStore store;
    @Inject
    Inbox inbox;
    @Inject
    EventLog eventLog;
    @Inject
    Pool pool;

    @Test
    void aStepThatFailsAfterItsWritesLeavesNoStockMovedNoInboxRowAndNoEvent() {
        String sku = product(10);
        String order = UUID.randomUUID().toString();
        UUID event = UUID.randomUUID();

        Uni<Void> failing = transactions.run(tx -> inbox.firstDeliveries(tx, List.of("tx-test"), List.of(event))
                .chain(() -> store.lockProducts(List.of(sku)))
                .chain(() -> store.move(Map.of(sku, 3), -1, +1, 0))
                .chain(() -> eventLog.append(tx, order, List.of(reserved(sku)), null))
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("the step fails after its writes"))));

        assertThrows(IllegalStateException.class, () -> failing.await().atMost(WAIT));
        assertEquals(List.of(10, 0), stock(sku));
        assertFalse(inboxHas(event));
        assertEquals(0, events(order));
    }

    @Test
    void aStepThatSucceedsCommitsStockInboxRowAndEventsTogetherThenRunsItsCommitActions() {
        String sku = product(10);
        String order = UUID.randomUUID().toString();
        UUID event = UUID.randomUUID();
        AtomicBoolean committed = new AtomicBoolean();

        transactions.run(tx -> inbox.firstDeliveries(tx, List.of("tx-test"), List.of(event))
                .chain(() -> store.lockProducts(List.of(sku)))
                .chain(() -> store.move(Map.of(sku, 3), -1, +1, 0))
                .chain(() -> eventLog.append(tx, order, List.of(reserved(sku)), null))
                .invoke(() -> tx.onCommit(() -> committed.set(true)))).await().atMost(WAIT);

        assertEquals(List.of(7, 3), stock(sku));
        assertTrue(inboxHas(event));
        assertEquals(1, events(order));
        assertTrue(committed.get());
    }

    @Test
    void aUniqueViolationRaisedThroughTheSessionIsARetryableConflictNotPoison() {
        String sku = product(1);
        Throwable failure = assertThrows(Throwable.class, () -> transactions.run(tx -> {
            ProductEntity twin = new ProductEntity();
            twin.sku = sku;
            twin.name = "twin";
            twin.price = BigDecimal.ONE;
            return twin.persist();
        }).await().atMost(WAIT));

        assertTrue(Conflicts.isConflict(failure), failure.toString());
        assertFalse(Failures.isPoison(failure), failure.toString());
    }

    private String product(int stock) {
        String sku = "TX-" + UUID.randomUUID();
        transactions.run(tx -> store.upsert(sku, "Pen", new BigDecimal("2.50"), stock)).await().atMost(WAIT);
        return sku;
    }

    private static InventoryReserved reserved(String sku) {
        return new InventoryReserved(List.of(new PricedLine(sku, "Pen", 3, new BigDecimal("2.50"))), new BigDecimal("7.50"));
    }

    private List<Integer> stock(String sku) {
        var row = pool.preparedQuery("select available, reserved from products where sku = $1").execute(Tuple.of(sku))
                .await().atMost(WAIT).iterator().next();
        return List.of(row.getInteger("available"), row.getInteger("reserved"));
    }

    private boolean inboxHas(UUID event) {
        return pool.preparedQuery("select 1 from inbox where consumer = 'tx-test' and event_id = $1").execute(Tuple.of(event))
                .await().atMost(WAIT).size() == 1;
    }

    private int events(String order) {
        return pool.preparedQuery("select count(*) as n from events where stream_id = $1").execute(Tuple.of(order))
                .await().atMost(WAIT).iterator().next().getInteger("n");
    }
}
