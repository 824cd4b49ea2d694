package io.sagashop.sandbox;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SandboxApiTest {

    private static final JsonPathConfig EXACT_NUMBERS = new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL);

    @BeforeEach
    void resetSandbox() {
        given().post("/sandbox/reset").then().statusCode(200);
    }

    // --- payment provider, one test per token ---

    @Test
    void visaTokenIsApproved() {
        Response response = charge(id("key"), id("order"), "42.50", "tok_visa");

        response.then().statusCode(201)
                .body("chargeId", startsWith("ch_"))
                .body("status", is("APPROVED"));
        assertAmount("42.50", amountAt(response, "amount"));
    }

    @Test
    void declineTokenIsDeclinedAgainAndAgain() {
        String key = id("key");

        for (int attempt = 0; attempt < 2; attempt++) {
            charge(key, id("order"), "10", "tok_decline").then().statusCode(402)
                    .body("status", is("DECLINED"))
                    .body("reason", is("card declined"));
        }
    }

    @Test
    void unavailableTokenAnswers503EveryTime() {
        String key = id("key");
        String order = id("order");

        for (int attempt = 0; attempt < 3; attempt++) {
            charge(key, order, "10", "tok_unavailable").then().statusCode(503)
                    .body("error", is("provider unavailable"));
        }
        ledger(order).then().statusCode(200).body("charges", empty());
    }

    @Test
    void slowTokenDoesNotAnswerWithinTwoSeconds() {
        String order = id("order");
        HttpRequest request = chargeRequest(id("key"), order, "tok_slow", Duration.ofSeconds(2));
        HttpClient client = httpClient();

        long started = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));

        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 1900);
        ledger(order).then().statusCode(200).body("charges", empty());
    }

    /** The only test that waits the full 10 s of tok_slow. */
    @Test
    void slowChargeVoidedWhileInFlightIsNeverCaptured() throws Exception {
        String key = id("key");
        String order = id("order");
        CompletableFuture<HttpResponse<String>> pending = httpClient().sendAsync(
                chargeRequest(key, order, "tok_slow", Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
        // only void once the provider has the charge in hand, so this really is "voided while in flight"
        await().atMost(Duration.ofSeconds(5))
                .until(() -> given().get("/sandbox/calls").jsonPath().getInt("payments") == 1);

        Response voided = given().post("/provider/payments/charges/{key}/void", key);
        voided.then().statusCode(200).body("voided", is(true));
        assertAmount("0", amountAt(voided, "refundedAmount"));

        HttpResponse<String> answer = pending.get(30, TimeUnit.SECONDS);
        assertEquals(409, answer.statusCode());
        assertEquals("VOIDED", JsonPath.from(answer.body()).getString("status"));
        ledger(order).then().statusCode(200).body("charges", empty());
        assertAmount("0", amountAt(ledger(order), "charged"));
    }

    @Test
    void invalidChargeRequestIs400() {
        charge(id("key"), id("order"), "0", "tok_visa").then().statusCode(400).body("error", is("amount must be greater than 0"));
        given().contentType(ContentType.JSON).body(Map.of("orderId", "o1", "amount", 1, "token", "tok_visa"))
                .post("/provider/payments/charges")
                .then().statusCode(400).body("error", is("idempotencyKey is required"));
    }

    // --- idempotency, voids, refunds and the ledger ---

    @Test
    void sameIdempotencyKeyReturnsTheSameChargeAndChargesOnce() {
        String key = id("key");
        String order = id("order");

        String first = charge(key, order, "25.00", "tok_visa").then().statusCode(201).extract().path("chargeId");
        String again = charge(key, order, "25.00", "tok_visa").then().statusCode(201).extract().path("chargeId");

        assertEquals(first, again);
        Response ledger = ledger(order);
        ledger.then().statusCode(200).body("charges", hasSize(1)).body("charges[0].chargeId", is(first));
        assertAmount("25.00", amountAt(ledger, "charged"));
    }

    @Test
    void ledgerTotalsChargesRefundsAndVoids() {
        String order = id("order");
        String keptKey = id("key");
        String voidedKey = id("key");
        String kept = charge(keptKey, order, "30.00", "tok_visa").then().statusCode(201).extract().path("chargeId");
        charge(voidedKey, order, "20.00", "tok_visa").then().statusCode(201);

        String refundKey = id("refund");
        String refundId = refund(refundKey, kept, "5.00").then().statusCode(201)
                .body("refundId", startsWith("re_"))
                .body("chargeId", is(kept))
                .extract().path("refundId");
        refund(refundKey, kept, "5.00").then().statusCode(201).body("refundId", is(refundId));
        Response voided = given().post("/provider/payments/charges/{key}/void", voidedKey);
        voided.then().statusCode(200).body("voided", is(true));
        assertAmount("20.00", amountAt(voided, "refundedAmount"));

        Response ledger = ledger(order);
        ledger.then().statusCode(200)
                .body("orderId", is(order))
                .body("charges", hasSize(2))
                .body("charges.idempotencyKey", is(List.of(keptKey, voidedKey)));
        assertAmount("30.00", amountAt(ledger, "charged"));
        assertAmount("25.00", amountAt(ledger, "refunded"));
        assertAmount("5.00", amountAt(ledger, "charges[0].refunded"));
        assertAmount("20.00", amountAt(ledger, "charges[1].refunded"));
    }

    @Test
    void voidBeforeChargeBlocksTheCharge() {
        String key = id("key");
        String order = id("order");

        given().post("/provider/payments/charges/{key}/void", key).then().statusCode(200).body("voided", is(true));

        charge(key, order, "10", "tok_visa").then().statusCode(409).body("status", is("VOIDED"));
        ledger(order).then().body("charges", empty());
    }

    @Test
    void refundsAreCheckedAgainstTheCharge() {
        String chargeId = charge(id("key"), id("order"), "10.00", "tok_visa").then().statusCode(201)
                .extract().path("chargeId");

        refund(id("refund"), "ch_unknown", "1").then().statusCode(404);
        refund(id("refund"), chargeId, "10.01").then().statusCode(422);
        refund(id("refund"), chargeId, "10.00").then().statusCode(201);
        refund(id("refund"), chargeId, "0.01").then().statusCode(422);
    }

    // --- carrier ---

    @Test
    void carrierRejectsCountryXX() {
        String order = id("order");

        book(id("ship"), order, "XX").then().statusCode(422)
                .body("status", is("REJECTED"))
                .body("reason", is("carrier does not deliver to XX"));
        given().queryParam("orderId", order).get("/carrier/shipments").then().statusCode(200).body("$", empty());
    }

    @Test
    void bookingIsIdempotentAndCancellable() {
        String key = id("ship");
        String order = id("order");

        String shipmentId = book(key, order, "DE").then().statusCode(201)
                .body("shipmentId", startsWith("sh_"))
                .body("carrier", is("SANDBOX-POST"))
                .body("trackingNumber", matchesPattern("TRK\\d{12}"))
                .body("status", is("BOOKED"))
                .extract().path("shipmentId");
        book(key, order, "DE").then().statusCode(201).body("shipmentId", is(shipmentId));
        given().queryParam("orderId", order).get("/carrier/shipments").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].shipmentId", is(shipmentId))
                .body("[0].status", is("BOOKED"));

        for (int attempt = 0; attempt < 2; attempt++) {
            given().delete("/carrier/shipments/{id}", shipmentId).then().statusCode(200)
                    .body("shipmentId", is(shipmentId))
                    .body("status", is("CANCELLED"));
        }
        given().queryParam("orderId", order).get("/carrier/shipments").then().statusCode(200)
                .body("[0].status", is("CANCELLED"));
        given().delete("/carrier/shipments/{id}", "sh_unknown").then().statusCode(404);
    }

    @Test
    void cancelByKeyCancelsTheKeysBooking() {
        String key = id("ship");
        String order = id("order");
        String shipmentId = book(key, order, "DE").then().statusCode(201).extract().path("shipmentId");

        for (int attempt = 0; attempt < 2; attempt++) {
            cancelByKey(key).then().statusCode(200)
                    .body("idempotencyKey", is(key))
                    .body("cancelled", is(true))
                    .body("shipmentId", is(shipmentId));
        }
        given().queryParam("orderId", order).get("/carrier/shipments").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].shipmentId", is(shipmentId))
                .body("[0].status", is("CANCELLED"));
    }

    @Test
    void cancelByKeyBeforeBookingBlocksTheBooking() {
        String key = id("ship");
        String order = id("order");

        cancelByKey(key).then().statusCode(200)
                .body("idempotencyKey", is(key))
                .body("cancelled", is(false))
                .body("$", hasKey("shipmentId"))
                .body("shipmentId", nullValue());

        book(key, order, "DE").then().statusCode(409).body("status", is("CANCELLED"));
        given().queryParam("orderId", order).get("/carrier/shipments").then().statusCode(200).body("$", empty());
    }

    @Test
    void cancelByKeyGoesThroughTheFaultKnobs() {
        String key = id("ship");
        putFaults("carrier", Map.of("errorRate", 1.0, "latencyMs", 0)).then().statusCode(200);

        cancelByKey(key).then().statusCode(503).body("error", is("injected fault"));
        given().get("/sandbox/calls").then().body("carrier", is(1));

        // the injected failure changed nothing: the key still books
        given().delete("/sandbox/faults").then().statusCode(200);
        book(key, id("order"), "DE").then().statusCode(201);
    }

    // --- fault knobs and call counters ---

    @Test
    void errorRateOneFailsEveryChargeWithoutTouchingTheLedger() {
        String order = id("order");
        String key = id("key");
        putFaults("payments", Map.of("errorRate", 1.0, "latencyMs", 0)).then().statusCode(200)
                .body("errorRate", is(1.0f))
                .body("latencyMs", is(0));

        for (int attempt = 0; attempt < 5; attempt++) {
            charge(key, order, "10", "tok_visa").then().statusCode(503).body("error", is("injected fault"));
        }
        ledger(order).then().statusCode(200).body("charges", empty());
        book(id("ship"), order, "DE").then().statusCode(201);

        given().delete("/sandbox/faults").then().statusCode(200)
                .body("payments.errorRate", is(0.0f))
                .body("carrier.errorRate", is(0.0f));
        charge(key, order, "10", "tok_visa").then().statusCode(201);
        ledger(order).then().body("charges", hasSize(1));
    }

    @Test
    void latencyDelaysEveryProviderCall() {
        putFaults("carrier", Map.of("errorRate", 0.0, "latencyMs", 500)).then().statusCode(200);

        long started = System.nanoTime();
        book(id("ship"), id("order"), "DE").then().statusCode(201);

        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 500);
    }

    @Test
    void knobsOfBothTargetsCanBeReadAndReset() {
        putFaults("carrier", Map.of("errorRate", 0.25, "latencyMs", 100)).then().statusCode(200);

        given().get("/sandbox/faults").then().statusCode(200)
                .body("payments.errorRate", is(0.0f))
                .body("payments.latencyMs", is(0))
                .body("carrier.errorRate", is(0.25f))
                .body("carrier.latencyMs", is(100));
        given().delete("/sandbox/faults").then().statusCode(200);
        given().get("/sandbox/faults").then().body("carrier.errorRate", is(0.0f)).body("carrier.latencyMs", is(0));
    }

    @Test
    void badKnobValuesAre400() {
        putFaults("payments", Map.of("errorRate", 1.5, "latencyMs", 0)).then().statusCode(400).body("error", startsWith("errorRate"));
        putFaults("payments", Map.of("errorRate", -0.1, "latencyMs", 0)).then().statusCode(400);
        putFaults("payments", Map.of("errorRate", 0.5, "latencyMs", -1)).then().statusCode(400).body("error", startsWith("latencyMs"));
        putFaults("payments", Map.of("latencyMs", 0)).then().statusCode(400);
        putFaults("payments", Map.of("errorRate", 0.5)).then().statusCode(400);
        putFaults("nowhere", Map.of("errorRate", 0.5, "latencyMs", 0)).then().statusCode(404);

        given().get("/sandbox/faults").then().body("payments.errorRate", is(0.0f)).body("payments.latencyMs", is(0));
    }

    @Test
    void callsCounterCountsEveryProviderCallAndResets() {
        String order = id("order");
        String key = id("key");
        charge(key, order, "10", "tok_visa").then().statusCode(201);
        charge(id("key"), order, "10", "tok_decline").then().statusCode(402);
        given().post("/provider/payments/charges/{key}/void", key).then().statusCode(200);
        refund(id("refund"), "ch_unknown", "1").then().statusCode(404);
        putFaults("carrier", Map.of("errorRate", 1.0, "latencyMs", 0)).then().statusCode(200);
        book(id("ship"), order, "DE").then().statusCode(503);
        given().delete("/carrier/shipments/{id}", "sh_unknown").then().statusCode(503);
        // reads are not provider calls
        ledger(order).then().statusCode(200);
        given().queryParam("orderId", order).get("/carrier/shipments").then().statusCode(200);

        given().get("/sandbox/calls").then().statusCode(200).body("payments", is(4)).body("carrier", is(2));

        given().delete("/sandbox/calls").then().statusCode(200).body("payments", is(0)).body("carrier", is(0));
        given().get("/sandbox/calls").then().body("payments", is(0)).body("carrier", is(0));
    }

    @Test
    void resetClearsChargesShipmentsKnobsAndCounters() {
        String order = id("order");
        charge(id("key"), order, "10", "tok_visa").then().statusCode(201);
        book(id("ship"), order, "DE").then().statusCode(201);
        putFaults("payments", Map.of("errorRate", 0.5, "latencyMs", 10)).then().statusCode(200);

        given().post("/sandbox/reset").then().statusCode(200);

        ledger(order).then().body("charges", empty());
        given().queryParam("orderId", order).get("/carrier/shipments").then().body("$", empty());
        given().get("/sandbox/faults").then().body("payments.errorRate", is(0.0f)).body("payments.latencyMs", is(0));
        given().get("/sandbox/calls").then().body("payments", is(0)).body("carrier", is(0));
    }

    // --- helpers ---

    private static Response charge(String key, String orderId, String amount, String token) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("idempotencyKey", key, "orderId", orderId, "amount", new BigDecimal(amount), "token", token))
                .post("/provider/payments/charges");
    }

    private static Response refund(String key, String chargeId, String amount) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("idempotencyKey", key, "chargeId", chargeId, "amount", new BigDecimal(amount)))
                .post("/provider/payments/refunds");
    }

    private static Response ledger(String orderId) {
        return given().queryParam("orderId", orderId).get("/provider/payments/ledger");
    }

    private static Response book(String key, String orderId, String country) {
        Map<String, Object> address = Map.of("name", "Ada Lovelace", "street", "1 Main St", "city", "Springfield",
                "postalCode", "12345", "country", country);
        return given().contentType(ContentType.JSON)
                .body(Map.of("idempotencyKey", key, "orderId", orderId, "address", address,
                        "items", List.of(Map.of("sku", "SKU-1", "quantity", 2))))
                .post("/carrier/shipments");
    }

    private static Response cancelByKey(String key) {
        return given().post("/carrier/shipments/by-key/{key}/cancel", key);
    }

    private static Response putFaults(String target, Map<String, Object> knobs) {
        return given().contentType(ContentType.JSON).body(knobs).put("/sandbox/faults/{target}", target);
    }

    private static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static HttpRequest chargeRequest(String key, String orderId, String token, Duration timeout) {
        String body = String.format("{\"idempotencyKey\":\"%s\",\"orderId\":\"%s\",\"amount\":10.00,\"token\":\"%s\"}",
                key, orderId, token);
        return HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/provider/payments/charges"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static BigDecimal amountAt(Response response, String path) {
        return new BigDecimal(JsonPath.from(response.asString()).using(EXACT_NUMBERS).getString(path));
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }
}
