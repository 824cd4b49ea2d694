package io.sagashop.payment;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.FailureReason;
import io.sagashop.contracts.events.OrderCancellationRequested;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.testing.Metrics;
import io.sagashop.testing.ProviderStub;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch that fails after a charge went through: the transaction rolls back (no PaymentCaptured, no CAPTURED row),
 * the records are handled again one by one, and the order ends with one capture, charged under one idempotency key,
 * while the record that keeps failing is retried alone (never dead-lettered) until the provider answers.
 */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
@WithTestResource(ProviderStub.class)
@TestProfile(PaymentBatchTest.OneBatchAtATime.class)
class PaymentBatchTest {

    /** One batch at a time, of up to 256: every record queues behind the one in progress, so the next ones form one batch. */
    public static class OneBatchAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sagashop.consumer.concurrency", "1", "sagashop.consumer.batch-size", "256");
        }
    }

    @Test
    void aChargeInABatchThatRollsBackIsRedoneAloneAndCapturedOnce() throws InterruptedException {
        ProviderStub.server.resetAll();
        PaymentSagaTest.approveCharges(0);
        String failingRefund = PaymentSagaTest.charge();
        String blocker = PaymentSagaTest.charge();
        for (String order : List.of(failingRefund, blocker)) {
            assertEquals("PaymentCaptured", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO).get(0).type());
        }
        // An order whose total is known and whose token (OrderPlaced) will come in the batch, on the same partition as
        // the failing cancellation, published first: the batch charges it before it meets the failure.
        String charged = orderOnThePartitionOf(failingRefund);
        TestEvents.publish(charged, 1, PaymentSagaTest.reservedEvent());
        ProviderStub.server.stubFor(post("/provider/payments/refunds").willReturn(aResponse().withStatus(500)));

        TestEvents.publish(blocker, 1, new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED)); // keeps the only slot busy for seconds
        Thread.sleep(300);
        TestEvents.publish(charged, 1, TestEvents.placed(charged, "c-1", List.of(new OrderLine("MUG", 2)), "tok_visa", Instant.now().plusSeconds(30)));
        TestEvents.publish(failingRefund, 1, new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED));
        Thread.sleep(2000);
        refundsSucceedFor(blocker); // the slot frees; the batch behind it runs and fails on failingRefund's refund

        await().atMost(Duration.ofSeconds(30)).until(() -> ProviderStub.server.findAll(postRequestedFor(
                urlEqualTo("/provider/payments/refunds")).withRequestBody(containing("refund-" + failingRefund))).size() >= 3);
        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, charged, 1, Duration.ofSeconds(1));
        assertEquals(List.of("PaymentCaptured"), out.stream().map(EventEnvelope::type).toList(), "one capture published");
        // Charged in the batch, then again alone after the rollback: both times under the order's idempotency key,
        // so a real provider charges once (the sandbox's ledger answers the second call with the first charge).
        ProviderStub.server.verify(2, postRequestedFor(urlEqualTo("/provider/payments/charges"))
                .withRequestBody(containing("\"charge-" + charged + "\"")));
        given().get("/payments/" + charged).then().statusCode(200).body("status", is("CAPTURED"))
                .body("capturedAmount", is(19.80f)).body("refundedAmount", is(0.0f));
        given().get("/payments/" + failingRefund).then().body("status", is("CAPTURED")); // its refund never half-happened

        refundsSucceedFor(failingRefund);
        assertEquals("PaymentRefunded", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, failingRefund, 2, Duration.ZERO).get(1).type());
        assertTrue(TestEvents.awaitRecords(Topics.deadLetter("payment"), failingRefund, 0, Duration.ofSeconds(1)).isEmpty());
    }

    private static void refundsSucceedFor(String order) {
        ProviderStub.server.stubFor(post("/provider/payments/refunds").withRequestBody(containing("refund-" + order))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"refundId\":\"rf_" + order + "\",\"chargeId\":\"ch_1\",\"amount\":19.80}")));
    }

    @Test
    void theSameEventDeliveredTwiceInOneBatchChargesOnce() throws InterruptedException {
        ProviderStub.server.resetAll();
        PaymentSagaTest.approveCharges(0);
        String blocker = PaymentSagaTest.charge();
        assertEquals("PaymentCaptured", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, blocker, 1, Duration.ZERO).get(0).type());
        String order = PaymentSagaTest.placedOrder();
        ProviderStub.server.stubFor(post("/provider/payments/refunds").willReturn(aResponse().withStatus(500)));
        String before = Metrics.all(); // one scrape: a batch starting between two reads would skew the ratio
        double batches = Metrics.sum(before, "sagashop_consumer_batch_size_count", "consumer=\"payment\"");
        double records = Metrics.sum(before, "sagashop_consumer_batch_size_sum", "consumer=\"payment\"");

        TestEvents.publish(blocker, 1, new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED)); // keeps the only slot busy for seconds
        Thread.sleep(300);
        EventEnvelope reserved = TestEvents.envelope(order, 1, PaymentSagaTest.reservedEvent());
        TestEvents.publishAll(List.of(reserved, reserved)); // a redelivery, queued behind the blocker with the original
        Thread.sleep(2000);
        refundsSucceedFor(blocker);

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ofSeconds(1));
        assertEquals(List.of("PaymentCaptured"), out.stream().map(EventEnvelope::type).toList(), "one capture published");
        ProviderStub.server.verify(1, postRequestedFor(urlEqualTo("/provider/payments/charges"))
                .withRequestBody(containing("\"charge-" + order + "\"")));
        String after = Metrics.all();
        double handled = Metrics.sum(after, "sagashop_consumer_batch_size_sum", "consumer=\"payment\"") - records;
        double transactions = Metrics.sum(after, "sagashop_consumer_batch_size_count", "consumer=\"payment\"") - batches;
        assertTrue(handled / transactions > 1, handled + " records in " + transactions + " batches: the two were in one");
        assertEquals("PaymentRefunded", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, blocker, 2, Duration.ZERO).get(1).type());
    }

    /** A new order id that Kafka's default partitioner puts on the same partition as {@code other}. */
    private static String orderOnThePartitionOf(String other) {
        while (true) {
            String id = UUID.randomUUID().toString();
            if (partition(id) == partition(other)) {
                return id;
            }
        }
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % SagaShopTestResources.PARTITIONS;
    }
}
