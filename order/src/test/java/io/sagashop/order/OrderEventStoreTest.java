package io.sagashop.order;

import io.sagashop.platform.store.Sql;
import io.sagashop.platform.store.SqlTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.events.InventoryReserved;
import io.sagashop.contracts.events.OrderPaid;
import io.sagashop.contracts.events.PaymentCaptured;
import io.sagashop.contracts.events.PricedLine;
import io.sagashop.contracts.events.ShipmentScheduled;
import io.sagashop.order.domain.OrderState;
import io.sagashop.order.store.OrderStore;
import io.sagashop.platform.messaging.EventLog;
import io.sagashop.platform.messaging.OutboxRelay;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static io.sagashop.order.TestOrders.place;
import static io.sagashop.order.TestOrders.sleep;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.*;

/** The order's event store: snapshots, upcasting, optimistic concurrency, append-only, and the relay's ordering. */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class OrderEventStoreTest {

    private static final List<PricedLine> LINES = List.of(new PricedLine("MUG", "Mug", 2, new BigDecimal("9.90")));

    @Inject
    OrderStore store;

    @Inject
    Pool pool;

    @Inject
    OutboxRelay relay;

    @Inject
    EventLog outbox;

    @Test
    void aCompletedOrderIsLoadedFromItsSnapshotWhichEqualsAFullReplay() throws Exception {
        String order = completedOrder();

        // snapshot-every=4: OrderPlaced, OrderReserved, OrderPaid, OrderCompleted -> a snapshot at version 4.
        assertEquals(4L, single("select version from snapshots where stream_id = ?", order));
        OrderState fromSnapshot = store.load(Sql.of(pool), order).await().atMost(Duration.ofSeconds(5));
        OrderState replayed = store.replayAll(Sql.of(pool), order).await().atMost(Duration.ofSeconds(5));
        assertEquals(replayed, fromSnapshot);
        assertEquals("COMPLETED", fromSnapshot.status().name());

        // And loading really starts from the snapshot: a (tampered) snapshot shows through, full replay does not.
        execute("update snapshots set state = jsonb_set(state, '{customerId}', '\"from-snapshot\"') where stream_id = ?", order);
        assertEquals("from-snapshot", store.load(Sql.of(pool), order).await().atMost(Duration.ofSeconds(5)).customerId());
        assertEquals("c-1", store.replayAll(Sql.of(pool), order).await().atMost(Duration.ofSeconds(5)).customerId());
    }

    @Test
    void aSnapshotInAnOlderFormatIsIgnoredAndTheOrderReplayed() throws Exception {
        String order = completedOrder();
        execute("update snapshots set format = 0, state = '{\"status\":\"garbage\"}' where stream_id = ?", order);

        given().get("/orders/" + order).then().statusCode(200).body("status", is("COMPLETED")).body("version", is(4));
    }

    @Test
    void anEventStoredWithSchemaVersion1StillLoadsUpcast() throws Exception {
        String order = place(null);
        // Written by an order service from before OrderCancellationRequested v2: no requestedBy.
        try (Connection c = db()) {
            insertEvent(c, order, 2, "OrderCancellationRequested", 1, "{\"reason\": \"CUSTOMER_CANCELLED\"}", false);
        }

        given().get("/orders/" + order).then().statusCode(200)
                .body("status", is("CANCELLING")).body("failureReason", is("CUSTOMER_CANCELLED")).body("version", is(2));
        given().get("/orders/" + order + "/events").then().statusCode(200)
                .body("[1].type", is("OrderCancellationRequested")).body("[1].schemaVersion", is(1))
                .body("[1].data.requestedBy", is("CUSTOMER"));
    }

    @Test
    void theEventLogIsAppendOnly() throws Exception {
        String order = place(null);
        SQLException update = assertThrows(SQLException.class,
                () -> execute("update events set payload = '{}' where stream_id = ?", order));
        assertTrue(update.getMessage().contains("append-only"), update.getMessage());
        assertThrows(SQLException.class, () -> execute("delete from events where stream_id = ?", order));
        assertEquals(1L, single("select count(*) from events where stream_id = ?", order));
    }

    @Test
    void aCancelThatLosesTheAppendRaceIsRetriedAgainstFreshStateAndAddsNoSecondRequest() throws Exception {
        String order = place(null);
        CompletableFuture<Response> cancel;
        try (Connection rival = db()) {
            rival.setAutoCommit(false);
            // Another cancel got to version 2 first and has not committed yet.
            insertEvent(rival, order, 2, "OrderCancellationRequested", 2,
                    "{\"reason\": \"CUSTOMER_CANCELLED\", \"requestedBy\": \"CUSTOMER\"}", true);
            cancel = CompletableFuture.supplyAsync(() -> given().post("/orders/" + order + "/cancel"));
            sleep(700); // the API's append of version 2 now waits on the rival's uncommitted row
            assertFalse(cancel.isDone(), "the second append must wait for the first");
            rival.commit();
        }
        Response response = cancel.get();

        assertEquals(202, response.statusCode());
        assertEquals("CANCELLING", response.path("status"));
        assertEquals(1L, single("select count(*) from events where stream_id = ? and type = 'OrderCancellationRequested'", order));
        assertEquals(2L, single("select max(version) from events where stream_id = ?", order));
    }

    @Test
    void aSagaReplyThatLosesTheAppendRaceToACancelIsReappliedToTheCancellingOrder() throws Exception {
        String order = place(null);
        try (Connection rival = db()) {
            rival.setAutoCommit(false);
            insertEvent(rival, order, 2, "OrderCancellationRequested", 2,
                    "{\"reason\": \"CUSTOMER_CANCELLED\", \"requestedBy\": \"CUSTOMER\"}", true);
            // The reply decides OrderReserved at version 2 from the committed state, then waits on the rival's row.
            TestEvents.publish(order, 1, new InventoryReserved(LINES, new BigDecimal("19.80")));
            sleep(1500);
            rival.commit();
        }

        // Retried against the fresh stream (CANCELLING), the reply adds nothing: no OrderReserved after the request.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals(1L,
                single("select count(*) from saga_replies where order_id = ?", order)));
        sleep(1000);
        assertEquals(List.of("OrderPlaced", "OrderCancellationRequested"), types(order));
        given().get("/orders/" + order).then().body("status", is("CANCELLING"));
    }

    @Test
    void theRelayPublishesAnOrdersEventsInOrderAlsoWhenTransactionsCommitOutOfOrder() throws Exception {
        String early = "gap-early-" + UUID.randomUUID();
        String late = "gap-late-" + UUID.randomUUID();
        try (Connection slow = db()) {
            slow.setAutoCommit(false);
            // Takes the lower position but commits last: a gap the relay must not skip.
            long lowPosition = insertEvent(slow, early, 1, "OrderPaid", 1, "{\"amount\": 1.00, \"providerReference\": \"a\"}", true);
            long highPosition;
            try (Connection fast = db()) {
                highPosition = insertEvent(fast, late, 1, "OrderPaid", 1, "{\"amount\": 2.00, \"providerReference\": \"b\"}", true);
            }
            assertTrue(lowPosition < highPosition);
            TestEvents.awaitRecords(Topics.ORDER_EVENTS, late, 1, Duration.ofSeconds(10));
            slow.commit();
        }
        for (int version = 2; version <= 4; version++) {
            try (Connection c = db()) {
                insertEvent(c, early, version, "OrderPaid", 1, "{\"amount\": " + version + ".00, \"providerReference\": \"a\"}", true);
            }
        }

        List<ConsumerRecord<String, String>> published = TestEvents.awaitRecords(Topics.ORDER_EVENTS, early, 4, Duration.ofSeconds(10));
        assertEquals(List.of(1L, 2L, 3L, 4L), published.stream().map(r -> EventCodec.fromJson(r.value()).sequence()).toList());

        // Nothing is left queued, so a relay (re)started now publishes nothing again.
        await().atMost(Duration.ofSeconds(5)).until(() -> single("select count(*) from outbox", null) == 0L);
        assertEquals(0, relay.publishBatch().await().atMost(Duration.ofSeconds(5)));
        sleep(500);
        assertEquals(4, TestEvents.awaitRecords(Topics.ORDER_EVENTS, early, 4, Duration.ofSeconds(10)).size());
    }

    @Test
    void theRelayPublishesWhatCommittedAndNeverWhatARolledBackTransactionAppended() {
        String rolledBack = "rolled-back-" + UUID.randomUUID();
        String committed = "committed-" + UUID.randomUUID();
        OrderPaid paid = new OrderPaid(new BigDecimal("19.80"), "ch_memory");
        // The relay keeps what this process appends by position, from the insert on, before the commit: this one is
        // kept, then rolled back, so its position never reaches the queue.
        Uni<List<EventEnvelope>> failing = pool.withTransaction(c -> outbox.appendAfter(SqlTransaction.of(c), rolledBack, 0, List.of(paid), null)
                .chain(appended -> Uni.createFrom().failure(new IllegalStateException("rolled back on purpose"))));
        assertThrows(IllegalStateException.class, () -> failing.await().atMost(Duration.ofSeconds(10)));
        EventEnvelope kept = pool.withTransaction(c -> outbox.appendAfter(SqlTransaction.of(c), committed, 0, List.of(paid), null))
                .await().atMost(Duration.ofSeconds(10)).get(0);
        relay.wakeUp();

        List<ConsumerRecord<String, String>> published = TestEvents.awaitRecords(Topics.ORDER_EVENTS, committed, 1, Duration.ofSeconds(10));
        EventEnvelope sent = EventCodec.fromJson(published.get(0).value());
        assertEquals(kept.eventId(), sent.eventId());
        assertEquals(paid, EventCodec.payload(sent));
        assertThrows(ConditionTimeoutException.class,
                () -> TestEvents.awaitRecords(Topics.ORDER_EVENTS, rolledBack, 1, Duration.ofSeconds(3)));
    }

    private String completedOrder() {
        String order = place(null);
        TestEvents.publish(order, 1, new InventoryReserved(LINES, new BigDecimal("19.80")));
        TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("19.80"), "ch_1"));
        TestEvents.publish(order, 1, new ShipmentScheduled("SANDBOX-POST", "TRK1"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/orders/" + order).then()
                .body("status", is("COMPLETED")));
        return order;
    }

    private static Connection db() throws SQLException {
        return SagaShopTestResources.postgres().adminDataSource("order_db").getConnection();
    }

    /** Inserts an event row as an older (or rival) writer would; returns its position. */
    private static long insertEvent(Connection c, String stream, long version, String type, int schemaVersion,
                                    String payload, boolean queueForRelay) throws SQLException {
        String insert = """
                insert into events (stream_id, version, event_id, type, schema_version, topic, payload, recorded_at)
                values (?, ?, ?, ?, ?, 'order-events', ?::jsonb, now()) returning position""";
        long position;
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setString(1, stream);
            ps.setLong(2, version);
            ps.setObject(3, UUID.randomUUID());
            ps.setString(4, type);
            ps.setInt(5, schemaVersion);
            ps.setString(6, payload);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                position = rs.getLong(1);
            }
        }
        if (queueForRelay) {
            try (PreparedStatement ps = c.prepareStatement("insert into outbox (position) values (?)")) {
                ps.setLong(1, position);
                ps.executeUpdate();
            }
        }
        return position;
    }

    private static void execute(String sql, String param) throws SQLException {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            ps.executeUpdate();
        }
    }

    private static Long single(String sql, String param) throws SQLException {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static List<String> types(String order) throws SQLException {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("select type from events where stream_id = ? order by version")) {
            ps.setString(1, order);
            List<String> types = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            return types;
        }
    }
}
