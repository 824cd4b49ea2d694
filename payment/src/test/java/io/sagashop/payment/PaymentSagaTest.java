package io.sagashop.payment;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.*;
import io.sagashop.testing.ProviderStub;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.sagashop.testing.Metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Payment against the real broker and PostgreSQL, with WireMock as the payment provider: redelivery, poison records,
 * and every fault the gateway guards against.
 */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
@WithTestResource(ProviderStub.class)
class PaymentSagaTest {

    private static final BigDecimal TOTAL = new BigDecimal("19.80");

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        ProviderStub.server.resetAll();
        breakers.resetAll();
        approveCharges(0);
    }

    @Test
    void anInventoryReservedDeliveredTwiceChargesOnce() {
        String order = placedOrder();
        EventEnvelope reserved = TestEvents.envelope(order, 1, reservedEvent());

        TestEvents.publish(reserved);
        TestEvents.publish(reserved);

        List<EventEnvelope> out = TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ofSeconds(2));
        assertEquals(List.of("PaymentCaptured"), out.stream().map(EventEnvelope::type).toList());
        ProviderStub.server.verify(1, postRequestedFor(urlEqualTo("/provider/payments/charges")));
        given().get("/payments/" + order).then().statusCode(200).body("status", is("CAPTURED"))
                .body("capturedAmount", is(19.80f)).body("refundedAmount", is(0.0f));
    }

    @Test
    void aPaymentIsShownOnlyToItsCustomerAndAdmins() {
        String order = placedOrder();
        TestEvents.publish(TestEvents.envelope(order, 1, reservedEvent()));
        TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO);
        given().header("Authorization", "Bearer " + io.sagashop.testing.SagaShopTestResources.token("c-1"))
                .get("/payments/" + order).then().statusCode(200).body("status", is("CAPTURED"));
        given().header("Authorization", "Bearer " + io.sagashop.testing.SagaShopTestResources.token("c-2"))
                .get("/payments/" + order).then().statusCode(404).contentType("application/problem+json");
        given().get("/payments/" + order).then().statusCode(200);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextRecordIsProcessed() {
        String poisonKey = "poison-" + UUID.randomUUID();
        TestEvents.publishRaw(Topics.INVENTORY_EVENTS, poisonKey, "{this is not an event");
        String order = placedOrder();
        TestEvents.publish(order, 1, reservedEvent());

        ConsumerRecord<String, String> dead = TestEvents.awaitRecords(Topics.deadLetter("payment"), poisonKey, 1, Duration.ofSeconds(20)).get(0);
        assertEquals("{this is not an event", dead.value());
        assertTrue(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8).contains("not a JSON event envelope"));
        assertEquals("PaymentCaptured", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO).get(0).type());
    }

    @Test
    void theProviderGetsTheOpenedTokenAndATokenSealedForAnotherOrderIsDeadLettered() {
        approveCharges(0);
        String order = charge();
        TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO);
        ProviderStub.server.verify(1, postRequestedFor(urlEqualTo("/provider/payments/charges"))
                .withRequestBody(containing(order)).withRequestBody(containing("\"token\":\"tok_visa\"")));

        // OrderPlaced of another order carrying this order's sealed token: it can never be opened there.
        String other = UUID.randomUUID().toString();
        TestEvents.publish(other, 1, TestEvents.placed(order, "c-1", List.of(new OrderLine("MUG", 2)), "tok_visa",
                java.time.Instant.now().plusSeconds(30)));
        TestEvents.publish(other, 1, reservedEvent());

        ConsumerRecord<String, String> dead = TestEvents.awaitRecords(Topics.deadLetter("payment"), other, 1, Duration.ofSeconds(20)).get(0);
        assertTrue(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)
                .contains("cannot be opened"), "reason names the token");
        sleep(1000);
        ProviderStub.server.verify(0, postRequestedFor(urlEqualTo("/provider/payments/charges")).withRequestBody(containing(other)));
    }

    @Test
    void anOrderPlacedWrittenBeforeTokensWereSealedIsStillCharged() {
        approveCharges(0);
        String order = UUID.randomUUID().toString();
        java.time.Instant now = java.time.Instant.now();
        TestEvents.publishRaw(Topics.ORDER_EVENTS, order, """
                {"eventId":"%s","type":"OrderPlaced","schemaVersion":1,"orderId":"%s","sequence":1,"occurredAt":"%s",
                 "payload":{"customerId":"c-1","items":[{"sku":"MUG","quantity":2}],"paymentToken":"tok_legacy",
                 "deadline":"%s"}}""".formatted(UUID.randomUUID(), order, now, now.plusSeconds(30)));
        TestEvents.publish(order, 1, reservedEvent());

        assertEquals("PaymentCaptured", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO).get(0).type());
        ProviderStub.server.verify(1, postRequestedFor(urlEqualTo("/provider/payments/charges"))
                .withRequestBody(containing(order)).withRequestBody(containing("\"token\":\"tok_legacy\"")));
    }

    @Test
    void inventoryReservedBeforeOrderPlacedIsChargedOnceTheOrderArrives() {
        // The two topics are consumed independently: the total may be known before the token.
        approveCharges(0);
        String order = UUID.randomUUID().toString();
        TestEvents.publish(order, 1, reservedEvent());
        sleep(1500);
        ProviderStub.server.verify(0, postRequestedFor(urlEqualTo("/provider/payments/charges"))
                .withRequestBody(containing(order)));
        given().get("/payments/" + order).then().statusCode(404);

        TestEvents.publish(order, 1, TestEvents.placed(order, "c-1", List.of(new OrderLine("MUG", 2)), "tok_visa", java.time.Instant.now().plusSeconds(30)));

        assertEquals(List.of("PaymentCaptured"), TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ofMillis(500))
                .stream().map(e -> e.type()).toList());
        given().get("/payments/" + order).then().body("status", is("CAPTURED")).body("capturedAmount", is(19.80f));
    }

    @Test
    void aRefundTheProviderKeepsFailingIsRetriedUntilItSucceedsAndIsNeverDeadLettered() {
        // A captured payment whose refund the provider refuses with 500 for a while: transient, so the compensation
        // waits for the provider instead of being given up.
        approveCharges(0);
        String order = charge();
        assertEquals("PaymentCaptured", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO).get(0).type());
        double deadLetters = Metrics.sum("sagashop_dead_letters_total", "consumer=\"payment\"");
        ProviderStub.server.stubFor(post("/provider/payments/refunds").willReturn(aResponse().withStatus(500)));
        TestEvents.publish(order, 2, new ShipmentFailed("address rejected"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/provider/payments/refunds"))).size() >= 12);
        given().get("/payments/" + order).then().body("status", is("CAPTURED")); // nothing half-done
        assertEquals(1, TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO).size(), "no confirmation yet");

        ProviderStub.server.stubFor(post("/provider/payments/refunds").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"refundId\":\"rf_1\",\"chargeId\":\"ch_1\",\"amount\":19.80}")));
        assertEquals("PaymentRefunded", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 2, Duration.ZERO).get(1).type());
        given().get("/payments/" + order).then().body("status", is("REFUNDED")).body("refundedAmount", is(19.80f));
        assertEquals(deadLetters, Metrics.sum("sagashop_dead_letters_total", "consumer=\"payment\""), "nothing dead-lettered");
        assertTrue(Metrics.sum("sagashop_consumer_retries_total", "consumer=\"payment\"") >= 12, "the retries are counted");
    }

    @Test
    void aProviderOutageShorterThanTheDeadlineDelaysTheChargeInsteadOfFailingIt() {
        ProviderStub.server.stubFor(post("/provider/payments/charges").willReturn(aResponse().withStatus(503)));
        String order = charge();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/provider/payments/charges"))).size() >= 6);
        sleep(1000);
        given().get("/payments/" + order).then().body("status", org.hamcrest.Matchers.not(is("FAILED")));
        ProviderStub.server.verify(0, postRequestedFor(urlMatching("/provider/payments/charges/.*/void")));

        approveCharges(0);
        assertEquals(List.of("PaymentCaptured"), TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ofMillis(500))
                .stream().map(EventEnvelope::type).toList());
        given().get("/payments/" + order).then().body("status", is("CAPTURED"));
    }

    @Test
    void pastItsDeadlineAnUnavailableProviderFailsThePaymentAndVoidsTheChargeUntilTheVoidIsConfirmed() {
        // The provider is slower than our timeout: every charge may have been captured. The void fails at first too.
        ProviderStub.server.stubFor(post("/provider/payments/charges").willReturn(aResponse().withStatus(201).withFixedDelay(1500)));
        ProviderStub.server.stubFor(post(urlMatching("/provider/payments/charges/.*/void")).willReturn(aResponse().withStatus(503)));
        String order = placedOrder(java.time.Instant.now().plusSeconds(3));
        TestEvents.publish(order, 1, reservedEvent());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                ProviderStub.server.findAll(postRequestedFor(urlMatching("/provider/payments/charges/.*/void"))).size() >= 2);
        given().get("/payments/" + order).then().body("status", org.hamcrest.Matchers.not(is("FAILED"))); // not before the void is confirmed

        approveCharges(0); // the void now answers
        assertEquals(List.of("PaymentFailed"), TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ofMillis(500))
                .stream().map(EventEnvelope::type).toList());
        given().get("/payments/" + order).then().body("status", is("FAILED"));
    }

    @Test
    void anOrderPastItsDeadlineIsNeverChargedItsKeyIsVoidedAndThePaymentFails() {
        // After an outage the backlog holds orders already being cancelled for their deadline: charging them would
        // only take money to give it back, and hold up the orders that can still complete.
        String order = placedOrder(java.time.Instant.now().minusSeconds(1));
        TestEvents.publish(order, 1, reservedEvent());
        assertEquals(List.of("PaymentFailed"), TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ofMillis(500))
                .stream().map(EventEnvelope::type).toList());
        ProviderStub.server.verify(0, postRequestedFor(urlEqualTo("/provider/payments/charges")));
        ProviderStub.server.verify(1, postRequestedFor(urlEqualTo("/provider/payments/charges/charge-" + order + "/void")));
        given().get("/payments/" + order).then().body("status", is("FAILED"));
    }

    @Test
    void aDeclineIsAnAnswerNotAFault() {
        ProviderStub.server.stubFor(post("/provider/payments/charges").willReturn(aResponse().withStatus(402)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"DECLINED\"}")));
        for (int i = 0; i < 5; i++) {
            String order = placedOrder();
            TestEvents.publish(order, 1, reservedEvent());
            assertEquals("PaymentDeclined", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO).get(0).type());
        }
        assertEquals(CircuitBreakerState.CLOSED, breakers.currentState("payment-provider"), "declines do not open the circuit");
        ProviderStub.server.verify(5, postRequestedFor(urlEqualTo("/provider/payments/charges")));
    }

    @Test
    void timeoutsAnd503sAreRetriedThenTheCircuitOpensFailsFastHalfOpensAndCloses() {
        // Orders close to their deadline, so that unavailable gives up at once: the gateway's own behaviour.
        // A provider slower than the 500 ms timeout: three attempts (retries), then PaymentFailed, and the charge is voided.
        ProviderStub.server.stubFor(post("/provider/payments/charges").willReturn(aResponse().withStatus(201).withFixedDelay(1500)));
        String slow = lateCharge();
        assertEquals("PaymentFailed", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, slow, 1, Duration.ZERO).get(0).type());
        ProviderStub.server.verify(3, postRequestedFor(urlEqualTo("/provider/payments/charges")));
        ProviderStub.server.verify(postRequestedFor(urlEqualTo("/provider/payments/charges/charge-" + slow + "/void")));
        given().get("/payments/" + slow).then().body("status", is("FAILED"));

        // 503s: retried too; failures pile up until the breaker opens.
        ProviderStub.server.resetRequests();
        ProviderStub.server.stubFor(post("/provider/payments/charges").willReturn(aResponse().withStatus(503)));
        String failing = lateCharge();
        assertEquals("PaymentFailed", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, failing, 1, Duration.ZERO).get(0).type());
        assertEquals(CircuitBreakerState.OPEN, breakers.currentState("payment-provider"));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("ft_circuitbreaker_opened_total"))
                .body(org.hamcrest.Matchers.containsString("PaymentGateway.charge"));
        assertTrue(Metrics.sum("ft_circuitbreaker_opened_total", "PaymentGateway.charge") >= 1, "the breaker's openings are counted");

        // Open: the next charge fails at once, without reaching the provider.
        int callsSoFar = ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/provider/payments/charges"))).size();
        String failFast = lateCharge();
        assertEquals("PaymentFailed", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, failFast, 1, Duration.ZERO).get(0).type());
        assertEquals(callsSoFar, ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/provider/payments/charges"))).size());

        // The provider recovers; after the delay the breaker lets trial calls through (half-open) and closes.
        approveCharges(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> breakers.currentState("payment-provider") != CircuitBreakerState.OPEN
                || waited(1600));
        for (int i = 0; i < 2; i++) {
            String ok = charge();
            assertEquals("PaymentCaptured", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, ok, 1, Duration.ZERO).get(0).type());
        }
        assertEquals(CircuitBreakerState.CLOSED, breakers.currentState("payment-provider"));
    }

    @Test
    void aFullBulkheadProtectsTheProviderButDoesNotDecideTheOrder() {
        approveCharges(400); // each call holds one of the 2 bulkhead places for 400 ms (queue: 1)
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            orders.add(placedOrder());
        }
        double rejected = Metrics.sum("ft_bulkhead_calls_total", "bulkheadResult=\"rejected\"");
        orders.forEach(order -> TestEvents.publish(order, 1, reservedEvent()));

        List<String> outcomes = new ArrayList<>();
        for (String order : orders) {
            outcomes.add(TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, order, 1, Duration.ZERO).get(0).type());
        }
        // Calls beyond the bulkhead were refused (the provider saw at most 2 at a time) and tried again later.
        assertTrue(Metrics.sum("ft_bulkhead_calls_total", "bulkheadResult=\"rejected\"") > rejected, "rejections counted");
        assertEquals(java.util.Collections.nCopies(8, "PaymentCaptured"), outcomes);
        assertTrue(Metrics.all().contains("ft_bulkhead_executionsRunning"), "bulkhead use gauge");
    }

    @Test
    void aRefundStuckAtTheProviderHoldsUpOnlyItsOwnOrder() {
        String stuck = charge();
        assertEquals("PaymentCaptured", TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, stuck, 1, Duration.ZERO).get(0).type());
        // Every refund attempt takes 800 ms and fails: the stuck order's record is retried as long as that lasts.
        ProviderStub.server.stubFor(post("/provider/payments/refunds").willReturn(aResponse().withStatus(500).withFixedDelay(800)));
        double deadLetters = Metrics.sum("sagashop_dead_letters_total", "consumer=\"payment\"");
        TestEvents.publish(stuck, 2, new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !ProviderStub.server.findAll(postRequestedFor(urlEqualTo("/provider/payments/refunds"))).isEmpty());

        // 24 other orders: with fixed lanes by hash of the order id (8 of them), some would share the stuck one's lane.
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            others.add(placedOrder());
        }
        TestEvents.publishAll(others.stream().map(order -> TestEvents.envelope(order, 1, reservedEvent())).toList());
        TestEvents.awaitEveryKey(Topics.PAYMENT_EVENTS, others, Duration.ofSeconds(30));
        assertEquals(1, TestEvents.eventsAfter(Topics.PAYMENT_EVENTS, stuck, 1, Duration.ZERO).size(),
                "every other order had its payment outcome while the stuck one was still being retried");
        assertEquals(deadLetters, Metrics.sum("sagashop_dead_letters_total", "consumer=\"payment\""));
    }

    private static boolean waited(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    static void approveCharges(int delayMillis) {
        ProviderStub.server.stubFor(post("/provider/payments/charges").willReturn(aResponse().withStatus(201)
                .withFixedDelay(delayMillis).withHeader("Content-Type", "application/json")
                .withBody("{\"chargeId\":\"ch_1\",\"status\":\"APPROVED\",\"amount\":19.80}")));
        ProviderStub.server.stubFor(post(urlMatching("/provider/payments/charges/.*/void")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"voided\":true,\"refundedAmount\":0}")));
    }

    /** An order payment knows about (its OrderPlaced consumed), ready to be charged. */
    static String placedOrder() {
        return placedOrder(java.time.Instant.now().plusSeconds(30));
    }

    static String placedOrder(java.time.Instant deadline) {
        String order = UUID.randomUUID().toString();
        TestEvents.publish(order, 1, TestEvents.placed(order, "c-1", List.of(new OrderLine("MUG", 2)), "tok_visa", deadline));
        given().get("/payments/" + order); // nothing to assert: payment answers 404 until it attempts a charge
        return order;
    }

    static String charge() {
        String order = placedOrder();
        TestEvents.publish(order, 1, reservedEvent());
        return order;
    }

    /** A charge of an order within the give-up margin (5 s) of its deadline: an unavailable provider fails it at once. */
    static String lateCharge() {
        String order = placedOrder(java.time.Instant.now().plusSeconds(4));
        TestEvents.publish(order, 1, reservedEvent());
        return order;
    }

    static InventoryReserved reservedEvent() {
        return new InventoryReserved(List.of(new PricedLine("MUG", "Mug", 2, new BigDecimal("9.90"))), TOTAL);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
