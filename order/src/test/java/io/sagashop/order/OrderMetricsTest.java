package io.sagashop.order;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.*;
import io.sagashop.testing.Metrics;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sagashop.order.TestOrders.place;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.*;

/** The saga's metrics in /q/metrics move with the sagas: started, completed, cancelled by reason, duration, outbox, DLQ. */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class OrderMetricsTest {

    @Test
    void sagaMetricsCountEveryOutcomeAndItsDuration() {
        double started = Metrics.sum("sagashop_sagas_started_total", "");
        double completed = Metrics.sum("sagashop_sagas_completed_total", "");
        double cancelled = Metrics.sum("sagashop_sagas_cancelled_total", "reason=\"CUSTOMER_CANCELLED\"");
        double durations = Metrics.sum("sagashop_saga_duration_seconds_count", "outcome=\"completed\"");
        double published = Metrics.sum("sagashop_outbox_published_total", "");

        String done = place(null);
        List<PricedLine> lines = List.of(new PricedLine("MUG", "Mug", 2, new BigDecimal("9.90")));
        TestEvents.publish(done, 1, new InventoryReserved(lines, new BigDecimal("19.80")));
        TestEvents.publish(done, 1, new PaymentCaptured(new BigDecimal("19.80"), "ch_m"));
        TestEvents.publish(done, 1, new ShipmentScheduled("SANDBOX-POST", "TRK-M"));
        String cancelledOrder = place(null);
        given().post("/orders/" + cancelledOrder + "/cancel").then().statusCode(202);
        TestEvents.publish(cancelledOrder, 1, new InventoryReleased(List.of()));
        TestEvents.publish(cancelledOrder, 1, new PaymentRefunded(BigDecimal.ZERO, null));
        TestEvents.publish(cancelledOrder, 1, new ShipmentCancelled(null));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            given().get("/orders/" + done).then().body("status", is("COMPLETED"));
            given().get("/orders/" + cancelledOrder).then().body("status", is("CANCELLED"));
        });

        assertEquals(started + 2, Metrics.sum("sagashop_sagas_started_total", ""));
        assertEquals(completed + 1, Metrics.sum("sagashop_sagas_completed_total", ""));
        assertEquals(cancelled + 1, Metrics.sum("sagashop_sagas_cancelled_total", "reason=\"CUSTOMER_CANCELLED\""));
        assertEquals(durations + 1, Metrics.sum("sagashop_saga_duration_seconds_count", "outcome=\"completed\""));
        assertTrue(Metrics.sum("sagashop_saga_duration_seconds_bucket", "outcome=\"completed\"") > 0, "a histogram, for percentiles");
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum("sagashop_outbox_published_total", "") >= published + 7);
        assertTrue(Metrics.all().contains("sagashop_outbox_backlog"), "outbox backlog gauge");
        assertTrue(Metrics.all().contains("kafka_consumer_fetch_manager_records_lag"), "consumer lag");
    }

    @Test
    void aPoisonRecordCountsAsADeadLetter() {
        double before = Metrics.sum("sagashop_dead_letters_total", "consumer=\"order\"");
        TestEvents.publishRaw(Topics.PAYMENT_EVENTS, "poison-metrics", "{not an envelope");

        await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.sum("sagashop_dead_letters_total", "consumer=\"order\"") == before + 1);
    }
}
