package io.sagashop.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.Topics;
import io.sagashop.contracts.events.*;
import io.sagashop.testing.Metrics;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/** The read model over the real broker and PostgreSQL: projection, queries, summary views, live stream, rebuild. */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class ReadModelProjectionTest {

    private static final List<PricedLine> LINES = List.of(new PricedLine("RM-MUG", "Mug", 2, new BigDecimal("9.90")));
    private static final BigDecimal TOTAL = new BigDecimal("19.80");

    @TestHTTPResource("/views/stream")
    URL stream;

    /** The events of a completed order, oldest first, each service numbering its own. */
    private static List<EventEnvelope> completed(String order, String customer) {
        return List.of(
                TestEvents.envelope(order, 1, placed(customer)),
                TestEvents.envelope(order, 1, new InventoryReserved(LINES, TOTAL)),
                TestEvents.envelope(order, 2, new OrderReserved(LINES, TOTAL)),
                TestEvents.envelope(order, 1, new PaymentCaptured(TOTAL, "ch_" + order)),
                TestEvents.envelope(order, 3, new OrderPaid(TOTAL, "ch_" + order)),
                TestEvents.envelope(order, 1, new ShipmentScheduled("SANDBOX-POST", "TRK-" + order)),
                TestEvents.envelope(order, 4, new OrderCompleted("SANDBOX-POST", "TRK-" + order)));
    }

    private static List<EventEnvelope> declined(String order, String customer) {
        return List.of(
                TestEvents.envelope(order, 1, placed(customer)),
                TestEvents.envelope(order, 1, new InventoryReserved(LINES, TOTAL)),
                TestEvents.envelope(order, 2, new OrderReserved(LINES, TOTAL)),
                TestEvents.envelope(order, 1, new PaymentDeclined("card declined")),
                TestEvents.envelope(order, 3, new OrderCancellationRequested(FailureReason.PAYMENT_DECLINED)),
                TestEvents.envelope(order, 2, new InventoryReleased(List.of(new OrderLine("RM-MUG", 2)))),
                TestEvents.envelope(order, 2, new PaymentRefunded(BigDecimal.ZERO, null)),
                TestEvents.envelope(order, 1, new ShipmentCancelled(null)),
                TestEvents.envelope(order, 4, new OrderCancelled(FailureReason.PAYMENT_DECLINED)));
    }

    private static OrderPlaced placed(String customer) {
        return new OrderPlaced(customer, null, List.of(new OrderLine("RM-MUG", 2)), "****sa", "v1:opened-only-by-payment",
                new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "DE"), Instant.now().plusSeconds(30));
    }

    private static String newOrder() {
        return "rm-" + UUID.randomUUID();
    }

    @Test
    void eventsFromFourTopicsInAnyOrderAndRedeliveredMakeOneDocument() {
        String order = newOrder();
        List<EventEnvelope> events = new ArrayList<>(completed(order, "c-any"));
        events.add(events.get(3)); // PaymentCaptured again
        Collections.reverse(events);
        events.forEach(TestEvents::publish);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/views/orders/" + order).then()
                .statusCode(200)
                .body("status", is("COMPLETED"))
                .body("lastSequence", is(4))
                .body("timeline.size()", is(7)));
        given().get("/views/orders/" + order).then()
                .body("customerId", is("c-any"))
                .body("items[0].name", is("Mug")).body("items[0].unitPrice", is(9.90f)).body("total", is(19.80f))
                .body("payment.status", is("CAPTURED")).body("payment.capturedAmount", is(19.80f))
                .body("shipment.trackingNumber", is("TRK-" + order))
                .body("timeline.event", contains("OrderPlaced", "InventoryReserved", "OrderReserved", "PaymentCaptured",
                        "OrderPaid", "ShipmentScheduled", "OrderCompleted"))
                .body("projectedAt", notNullValue());
    }

    @Test
    void anOlderEventDeliveredLateNeverOverwritesNewerState() {
        String order = newOrder();
        List<EventEnvelope> events = completed(order, "c-late");
        events.forEach(TestEvents::publish);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/views/orders/" + order).then()
                .body("status", is("COMPLETED")));

        TestEvents.publish(events.get(4)); // OrderPaid redelivered
        TestEvents.publish(TestEvents.envelope(order, 3, new OrderPaid(TOTAL, "ch_other"))); // a stale copy, new event id
        sleep(1500);

        given().get("/views/orders/" + order).then().body("status", is("COMPLETED")).body("lastSequence", is(4));
    }

    @Test
    void ordersAreListedNewestFirstFilteredAndKeysetPaginated() {
        String customer = "c-page-" + UUID.randomUUID();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String order = newOrder();
            orders.add(order);
            TestEvents.publish(order, 1, placed(customer));
            sleep(20); // distinct creation instants
        }
        String cancelled = orders.get(1);
        TestEvents.publish(cancelled, 2, new OrderCancellationRequested(FailureReason.CUSTOMER_CANCELLED));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/views/orders?customerId=" + customer + "&status=CANCELLING")
                .then().statusCode(200).body("items.orderId", contains(cancelled)).body("next", nullValue()));

        List<String> newestFirst = new ArrayList<>(orders);
        Collections.reverse(newestFirst);
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            var page = given().queryParam("customerId", customer).queryParam("limit", 2)
                    .queryParam("after", after == null ? new Object[0] : new Object[]{after})
                    .get("/views/orders").then().statusCode(200).extract();
            seen.addAll(page.path("items.orderId"));
            after = page.path("next");
        } while (after != null);
        assertEquals(newestFirst, seen);
    }

    @Test
    void badQueryParametersAre400WithTheFieldNamed() {
        given().get("/views/orders?limit=0").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", is("limit"));
        given().get("/views/orders?limit=abc").then().statusCode(400).body("violations[0].field", is("limit"));
        given().get("/views/orders?limit=101").then().statusCode(400).body("violations[0].field", is("limit"));
        given().get("/views/orders?status=SHIPPED").then().statusCode(400).body("violations[0].field", is("status"));
        given().get("/views/orders?after=not-a-cursor").then().statusCode(400).body("violations[0].field", is("after"));
        given().get("/views/orders/unknown-order").then().statusCode(404).contentType("application/problem+json");
        given().get("/views/customers/nobody").then().statusCode(404);
    }

    @Test
    void customerSummariesAndStatsFollowTheOrders() {
        String customer = "c-sum-" + UUID.randomUUID();
        Map<String, Object> before = given().get("/views/stats").then().statusCode(200).extract().as(Map.class);
        String done = newOrder();
        String declined = newOrder();
        completed(done, customer).forEach(TestEvents::publish);
        declined(declined, customer).forEach(TestEvents::publish);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/views/customers/" + customer).then()
                .statusCode(200).body("orders", is(2)).body("completed", is(1)).body("cancelled", is(1))
                .body("spend", is(19.80f)));
        Map<String, Object> after = given().get("/views/stats").then().statusCode(200).extract().as(Map.class);
        assertEquals(count(before, "orders") + 2, count(after, "orders"));
        assertEquals(status(before, "COMPLETED") + 1, status(after, "COMPLETED"));
        assertEquals(status(before, "CANCELLED") + 1, status(after, "CANCELLED"));
        assertEquals(new BigDecimal(String.valueOf(before.get("revenue"))).add(TOTAL).compareTo(
                new BigDecimal(String.valueOf(after.get("revenue")))), 0);
        given().get("/views/stats").then().body("topProducts.sku", hasItem("RM-MUG"));
    }

    @Test
    void anOrderNotEndedWellPastItsDeadlineCountsAsStuckUntilItEnds() {
        String order = newOrder();
        long before = count(given().get("/views/stats").then().statusCode(200).extract().as(Map.class), "stuck");
        // Placed with a deadline two minutes ago, beyond the 30 s compensation window, and never ended.
        TestEvents.publish(order, 1, new OrderPlaced("c-stuck", null, List.of(new OrderLine("RM-MUG", 1)), "****sa", "v1:opened-only-by-payment",
                new ShippingAddress("Ada", "1 Main St", "Springfield", "12345", "DE"), Instant.now().minusSeconds(120)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/views/orders/" + order).then()
                .statusCode(200).body("deadline", notNullValue()));
        long stuck = count(given().get("/views/stats").then().extract().as(Map.class), "stuck");
        assertTrue(stuck >= before + 1, "stuck " + before + " -> " + stuck);

        TestEvents.publish(order, 2, new OrderCancellationRequested(FailureReason.TIMEOUT));
        TestEvents.publish(order, 3, new OrderCancelled(FailureReason.TIMEOUT));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(stuck - 1,
                count(given().get("/views/stats").then().extract().as(Map.class), "stuck")));
    }

    @Test
    void manyOrdersArrivingAtOnceAreProjectedInBatchesAndMoveTheViewsByExactlyTheirSum() {
        String customer = "c-batch-" + UUID.randomUUID();
        Map<String, Object> before = given().get("/views/stats").then().statusCode(200).extract().as(Map.class);
        String scrape = Metrics.all(); // both from one instant
        double batchesBefore = Metrics.sum(scrape, "sagashop_consumer_batch_size_count", "consumer=\"read-model\"");
        double recordsBefore = Metrics.sum(scrape, "sagashop_consumer_batch_size_sum", "consumer=\"read-model\"");
        List<EventEnvelope> events = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String order = newOrder();
            orders.add(order);
            events.addAll(i % 2 == 0 ? completed(order, customer) : declined(order, customer));
        }
        TestEvents.publishAll(events);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/views/customers/" + customer).then()
                .statusCode(200).body("orders", is(30)).body("completed", is(15)).body("cancelled", is(15)));
        given().get("/views/customers/" + customer).then().body("spend", is(297.0f)); // 15 x 19.80 kept
        Map<String, Object> after = given().get("/views/stats").then().statusCode(200).extract().as(Map.class);
        assertEquals(count(before, "orders") + 30, count(after, "orders"));
        for (String status : List.of("PENDING", "RESERVED", "PAID", "CANCELLING", "COMPLETED", "CANCELLED")) {
            long moved = status.equals("COMPLETED") || status.equals("CANCELLED") ? 15 : 0;
            assertEquals(status(before, status) + moved, status(after, status), status);
        }
        assertEquals(0, new BigDecimal(String.valueOf(before.get("revenue"))).add(new BigDecimal("297.00"))
                .compareTo(new BigDecimal(String.valueOf(after.get("revenue")))));
        orders.forEach(order -> given().get("/views/orders/" + order).then().statusCode(200)
                .body("status", anyOf(is("COMPLETED"), is("CANCELLED"))));

        String afterScrape = Metrics.all();
        double batches = Metrics.sum(afterScrape, "sagashop_consumer_batch_size_count", "consumer=\"read-model\"") - batchesBefore;
        double records = Metrics.sum(afterScrape, "sagashop_consumer_batch_size_sum", "consumer=\"read-model\"") - recordsBefore;
        assertTrue(records / batches > 1, records + " events in " + batches + " transactions: batches formed");
    }

    @Test
    void theDashboardPageIsServedWithItsScriptAndTheLiveGeneration() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/dashboard/app.js"), matchesPattern("(?s).*Read model generation \\d+, live since \\d{4}-.*"));
        given().get("/dashboard/app.js").then().statusCode(200).body(containsString("EventSource"));
    }

    @Test
    void theDashboardAllowsOnlyItsOwnScriptsAndStylesAndNoOtherOrigin() {
        for (String path : List.of("/", "/dashboard/app.js", "/dashboard/app.css", "/views/stats")) {
            given().get(path).then().statusCode(200)
                    .header("Content-Security-Policy", allOf(containsString("script-src 'self'"), containsString("style-src 'self'"),
                            not(containsString("unsafe-inline")), containsString("frame-ancestors 'none'")))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer");
        }
        // CORS stays closed: a preflight from another origin is not granted.
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/views/rebuild").then().header("Access-Control-Allow-Origin", nullValue());
        given().get("/").then().body(not(containsString("<script>")), not(containsString("style=")));
    }

    /** Opens the stream with {@code authorization} (a header, or the dashboard's cookie) and reads it in the background. */
    private HttpResponse<InputStream> openStream(String header, String value) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stream.toURI())
                .header("Accept", "text/event-stream").header(header, value).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return response;
    }

    /** The first document of {@code order} the stream sends, or null when it ends first. */
    private static CompletableFuture<String> firstOf(HttpResponse<InputStream> response, String order) {
        return CompletableFuture.supplyAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                String event = null;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:") && line.contains(order) && "order".equals(event)) {
                        return line.substring(5).trim();
                    }
                }
                return null;
            } catch (Exception e) {
                return null; // closed by the test
            }
        });
    }

    @Test
    void theStreamSendsEveryDocumentThatChanges() throws Exception {
        String order = newOrder();
        HttpResponse<InputStream> response = openStream("Authorization", "Bearer " + SagaShopTestResources.token(null));
        CompletableFuture<String> seen = firstOf(response, order);
        sleep(500); // the subscription is in place
        TestEvents.publish(order, 1, placed("c-stream"));

        JsonNode doc = EventCodec.tree(seen.get(20, TimeUnit.SECONDS));
        assertEquals(order, doc.path("orderId").asText());
        assertEquals("PENDING", doc.path("status").asText());
        response.body().close();
    }

    @Test
    void aCustomerSeesListsAndStreamsOnlyTheirOwnOrders() throws Exception {
        String carol = "Bearer " + SagaShopTestResources.token("c-carol");
        String dave = "Bearer " + SagaShopTestResources.token("c-dave");
        // Dave follows the stream as the dashboard does (a cookie); Carol with a header.
        HttpResponse<InputStream> daves = openStream("Cookie", "sagashop-token=" + SagaShopTestResources.token("c-dave"));
        HttpResponse<InputStream> carols = openStream("Authorization", carol);
        String order = newOrder();
        CompletableFuture<String> daveSaw = firstOf(daves, order);
        CompletableFuture<String> carolSaw = firstOf(carols, order);
        sleep(500);
        completed(order, "c-carol").forEach(TestEvents::publish);

        assertNotNull(carolSaw.get(20, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().header("Authorization", carol).get("/views/orders/" + order)
                .then().statusCode(200).body("status", is("COMPLETED")));
        sleep(1000);
        daves.body().close();
        carols.body().close();
        assertNull(daveSaw.get(5, TimeUnit.SECONDS), "another customer's document on Dave's stream");

        given().header("Authorization", dave).get("/views/orders/" + order).then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", dave).get("/views/orders").then().statusCode(200).body("items.orderId", not(hasItem(order)));
        given().header("Authorization", carol).get("/views/orders").then().statusCode(200).body("items.orderId", hasItem(order))
                .body("items.customerId", everyItem(is("c-carol")));
        given().header("Authorization", dave).get("/views/orders?customerId=c-carol").then().statusCode(403);
        given().header("Authorization", dave).get("/views/customers/c-carol").then().statusCode(404);
        given().header("Authorization", carol).get("/views/customers/c-carol").then().statusCode(200);
        given().header("Authorization", carol).get("/views/stats").then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", carol).post("/views/rebuild").then().statusCode(403);
        given().get("/views/orders?customerId=c-carol").then().statusCode(200).body("items.orderId", hasItem(order)); // an admin
    }

    @Test
    void aRebuildReplaysEverythingIntoANewGenerationAndReproducesEveryViewExactly() {
        String customer = "c-rebuild-" + UUID.randomUUID();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String order = newOrder();
            orders.add(order);
            (i % 2 == 0 ? completed(order, customer) : declined(order, customer)).forEach(TestEvents::publish);
        }
        TestEvents.publishRaw(Topics.PAYMENT_EVENTS, orders.get(0), "{poison"); // skipped by the rebuild as it was live
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/views/customers/" + customer).then()
                .statusCode(200).body("completed", is(2)).body("cancelled", is(2)));
        Map<String, JsonNode> documents = allDocuments();
        Object stats = given().get("/views/stats").then().extract().as(Object.class);
        Object summary = given().get("/views/customers/" + customer).then().extract().as(Object.class);
        int generation = given().get("/views/rebuild").then().statusCode(200).extract().path("generation");

        given().post("/views/rebuild").then().statusCode(202).body("state", is("RUNNING"))
                .body("generation", is(generation + 1));
        given().post("/views/rebuild").then().statusCode(anyOf(is(409), is(202)));
        // Queries keep answering from the old generation while the new one is built.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            given().get("/views/orders/" + orders.get(0)).then().statusCode(200).body("status", is("COMPLETED"));
            return !"RUNNING".equals(given().get("/views/rebuild").then().extract().path("state"));
        });

        given().get("/views/rebuild").then().body("state", is("DONE")).body("generation", greaterThan(generation))
                .body("processed", greaterThan(documents.size())).body("skipped", greaterThanOrEqualTo(1))
                .body("finishedAt", notNullValue());
        assertEquals(documents, allDocuments());
        assertEquals(stats, given().get("/views/stats").then().extract().as(Object.class));
        assertEquals(summary, given().get("/views/customers/" + customer).then().extract().as(Object.class));
    }

    /** Every live document by order id, without projectedAt (the instant it was written, which a rebuild changes). */
    private static Map<String, JsonNode> allDocuments() {
        Map<String, JsonNode> all = new TreeMap<>();
        String after = null;
        do {
            var page = given().queryParam("limit", 100).queryParam("after", after == null ? new Object[0] : new Object[]{after})
                    .get("/views/orders").then().statusCode(200).extract();
            JsonNode items = EventCodec.tree(page.asString()).path("items");
            for (JsonNode doc : items) {
                ((ObjectNode) doc).remove("projectedAt");
                all.put(doc.path("orderId").asText(), doc);
            }
            after = page.path("next");
        } while (after != null);
        return all;
    }

    private static long count(Map<String, Object> stats, String key) {
        return ((Number) stats.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static long status(Map<String, Object> stats, String status) {
        Object n = ((Map<String, Object>) stats.get("byStatus")).get(status);
        return n == null ? 0 : ((Number) n).longValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
