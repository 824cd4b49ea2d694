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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order following participant replies over the real broker, and the customer's emails: one when placed, one per outcome. */
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

        // One email when the order was received, one when it completed.
        await().atMost(Duration.ofSeconds(10)).until(() -> mailbox.getMailsSentTo("ada@example.com").size() == 2);
        // The OrderPlaced and OrderCompleted events delivered again must not send more.
        TestEvents.publish(published.get(0));
        TestEvents.publish(published.get(3));
        sleep(2500);
        var mails = mailbox.getMailsSentTo("ada@example.com");
        assertEquals(2, mails.size());
        var completed = mails.stream().filter(m -> m.getSubject().contains("completed")).findFirst().orElseThrow();
        assertTrue(mails.stream().anyMatch(m -> m.getSubject().contains("received")), "the order-received email");
        // A resend after a crash between sending and marking would carry the same id, so it is the same email.
        assertEquals(List.of("<" + order + ".completed@sagashop.local>"), completed.getHeaders().get("Message-ID"));
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
        await().atMost(Duration.ofSeconds(10)).until(() -> mailbox.getMailsSentTo("bob@example.com").stream()
                .anyMatch(m -> m.getSubject().contains("cancelled")));
        assertEquals(2, mailbox.getMailsSentTo("bob@example.com").size(), "received, then cancelled");
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
