package io.sagashop.order;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.*;
import io.sagashop.testing.Metrics;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import io.sagashop.order.saga.DeadlineSweeper;
import io.sagashop.platform.store.AdvisoryLock;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sagashop.order.TestOrders.place;
import static io.sagashop.order.TestOrders.sleep;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A cancellation whose compensation never confirms (the participant's reply was lost) is found and re-driven: the
 * cancellation request is published again, the stuck order shows in the metric and turns the sagas health group DOWN,
 * and once the participant answers the order ends CANCELLED.
 */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
@TestProfile(StuckCompensationTest.ShortDeadlines.class)
class StuckCompensationTest {

    public static class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sagashop.saga.deadline", "1s", "sagashop.saga.compensation-window", "2s",
                    "sagashop.saga.redrive-interval", "500ms");
        }
    }

    @Inject
    Pool pool;

    @Test
    void aCancellationThatIsNeverConfirmedIsReDrivenAndShowsAsStuckUntilItEnds() {
        String order = place(null);
        // The deadline cancels it; inventory and payment confirm, shipping's answer never comes.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/orders/" + order).then()
                .body("status", is("CANCELLING")).body("failureReason", is("TIMEOUT")));
        TestEvents.publish(order, 1, new InventoryReleased(List.of()));
        TestEvents.publish(order, 1, new PaymentRefunded(BigDecimal.ZERO, null));

        // Published again once the window passed: the first request plus at least one re-drive.
        List<EventEnvelope> events = TestEvents.eventsAfter(Topics.ORDER_EVENTS, order, 3, Duration.ZERO);
        assertEquals(List.of("OrderPlaced", "OrderCancellationRequested", "OrderCancellationRequested"),
                events.subList(0, 3).stream().map(EventEnvelope::type).toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum("sagashop_saga_stuck", "") >= 1);
        given().get("/q/health/group/sagas").then().statusCode(503);

        TestEvents.publish(order, 1, new ShipmentCancelled(null));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/orders/" + order).then()
                .body("status", is("CANCELLED")).body("failureReason", is("TIMEOUT")));
    }

    @Test
    void theDeadlineSweeperWaitsWhileAnotherInstanceHoldsItsLock() {
        SqlConnection otherInstance = AdvisoryLock.tryTake(pool, DeadlineSweeper.SWEEP_LOCK, Duration.ofMinutes(1))
                .await().atMost(Duration.ofSeconds(5));
        assertNotNull(otherInstance, "the sweep lock was free");
        String order;
        try {
            order = place(null);
            // Its 1 s deadline passes; the sweeper runs every second but may not sweep while the lock is held elsewhere.
            sleep(3000);
            given().get("/orders/" + order).then().body("status", is("PENDING"));
        } finally {
            AdvisoryLock.release(otherInstance).await().atMost(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/orders/" + order).then()
                .body("status", is("CANCELLING")).body("failureReason", is("TIMEOUT")));
    }

    @Test
    void aLockHolderThatHangsLosesTheLockWithinSeconds() {
        // Taken and never used again, as by a process that froze: PostgreSQL ends the idle session, and the lock with it.
        SqlConnection hung = AdvisoryLock.tryTake(pool, 0x7e57L, Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(5));
        assertNotNull(hung);
        assertNull(AdvisoryLock.tryTake(pool, 0x7e57L, Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(5)),
                "held while its session lives");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            SqlConnection next = AdvisoryLock.tryTake(pool, 0x7e57L, Duration.ofSeconds(10)).await().atMost(Duration.ofSeconds(5));
            AdvisoryLock.release(next).await().atMost(Duration.ofSeconds(5));
            return next != null;
        });
        AdvisoryLock.release(hung).await().atMost(Duration.ofSeconds(5));
    }
}
