package io.sagashop.order;

import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.*;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sagashop.order.TestOrders.place;
import static io.sagashop.order.TestOrders.sleep;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order following participant replies over the real broker, and the customer's one email per outcome. */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class OrderSagaFlowTest {

    @Inject
    MockMailbox mailbox;

    @BeforeEach
    void clear() {
        mailbox.clear();
    }

    @Test
    void repliesDriveTheOrderToCompletedAndTheCustomerGetsOneEmailEvenIfEventsAreRedelivered() {
        String order = place("ada@example.com");
        List<PricedLine> lines = List.of(new PricedLine("MUG", "Mug", 2, new BigDecimal("9.90")));

        TestEvents.publish(order, 1, new InventoryReserved(lines, new BigDecimal("19.80")));
        EventEnvelope captured = TestEvents.publish(order, 1, new PaymentCaptured(new BigDecimal("19.80"), "ch_1"));
        TestEvents.publish(captured); // redelivered
        TestEvents.publish(order, 1, new ShipmentScheduled("SANDBOX-POST", "TRK1"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/orders/" + order).then()
                .body("status", is("COMPLETED")).body("total", is(19.80f)));
        List<EventEnvelope> published = TestEvents.eventsAfter(Topics.ORDER_EVENTS, order, 4, Duration.ofSeconds(1));
        assertEquals(List.of("OrderPlaced", "OrderReserved", "OrderPaid", "OrderCompleted"),
                published.stream().map(EventEnvelope::type).toList());

        await().atMost(Duration.ofSeconds(10)).until(() -> mailbox.getMailsSentTo("ada@example.com").size() == 1);
        // The OrderCompleted event delivered again must not send a second email.
        TestEvents.publish(published.get(3));
        sleep(2500);
        assertEquals(1, mailbox.getMailsSentTo("ada@example.com").size());
        assertEquals(true, mailbox.getMailsSentTo("ada@example.com").get(0).getSubject().contains("completed"));
    }

    @Test
    void aCustomerCancellationEndsCancelledOnlyOnceEveryParticipantConfirmed() {
        String order = place("bob@example.com");
        given().post("/orders/" + order + "/cancel").then().statusCode(202).body("status", is("CANCELLING"));

        TestEvents.publish(order, 1, new InventoryReleased(List.of()));
        TestEvents.publish(order, 1, new PaymentRefunded(BigDecimal.ZERO, null));
        sleep(1500);
        given().get("/orders/" + order).then().body("status", is("CANCELLING"));

        TestEvents.publish(order, 1, new ShipmentCancelled(null));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/orders/" + order).then()
                .body("status", is("CANCELLED")).body("failureReason", is("CUSTOMER_CANCELLED")));
        given().post("/orders/" + order + "/cancel").then().statusCode(409);
        await().atMost(Duration.ofSeconds(10)).until(() -> mailbox.getMailsSentTo("bob@example.com").size() == 1);
    }

    @Test
    void confirmationsArrivingAtOnceOnThreeTopicsStillEndEveryOrderCancelled() {
        List<String> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String order = place(null);
            given().post("/orders/" + order + "/cancel").then().statusCode(202);
            orders.add(order);
        }
        // No waiting between them: the three replies of one order are handled in parallel transactions.
        List<EventEnvelope> confirmations = new java.util.ArrayList<>();
        for (String order : orders) {
            confirmations.add(TestEvents.envelope(order, 1, new InventoryReleased(List.of())));
            confirmations.add(TestEvents.envelope(order, 1, new PaymentRefunded(BigDecimal.ZERO, null)));
            confirmations.add(TestEvents.envelope(order, 1, new ShipmentCancelled(null)));
        }
        TestEvents.publishAll(confirmations);
        for (String order : orders) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/orders/" + order).then()
                    .body("status", is("CANCELLED")));
        }
    }
}
