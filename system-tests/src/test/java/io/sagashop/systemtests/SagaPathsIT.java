package io.sagashop.systemtests;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every row of the saga over the real packaged services, each checked against the invariants. */
class SagaPathsIT {

    static Devstack stack;
    static SagaClient client;
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "saga-it-");
        stack = Devstack.start(SystemTests.options(dataDir, 11000));
        client = new SagaClient(stack);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    record Row(String path, String orderId, String status, String reason) {
    }

    @Test
    void everyPathEndsInTheRightStatusAndReasonWithTheInvariantsHolding() {
        client.product("MUG-1", "Mug", "9.90", 100);
        client.product("RARE-1", "Rare print", "99.00", 0);
        // The first order through a cold stack loads and compiles every step's code; on a slow machine it took longer
        // than this test's 8 s deadline and the happy path came out TIMEOUT. One order of its own SKU warms the stack
        // up first and is not among those checked.
        client.product("WARM-1", "Warm-up", "1.00", 10);
        client.awaitTerminal(List.of(client.place("WARM-1", 1, "tok_visa", "DE")), Duration.ofSeconds(60));
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("happy", client.place("MUG-1", 2, "tok_visa", "DE"), "COMPLETED", null));
        rows.add(new Row("out of stock", client.place("RARE-1", 1, "tok_visa", "DE"), "CANCELLED", "OUT_OF_STOCK"));
        rows.add(new Row("unknown product", client.place("NO-SUCH-SKU", 1, "tok_visa", "DE"), "CANCELLED", "UNKNOWN_PRODUCT"));
        rows.add(new Row("declined", client.place("MUG-1", 1, "tok_decline", "DE"), "CANCELLED", "PAYMENT_DECLINED"));
        rows.add(new Row("shipping failed", client.place("MUG-1", 1, "tok_visa", "XX"), "CANCELLED", "SHIPPING_FAILED"));
        // The unavailable provider's failures, retried until that order gives up, open the payment breaker, and an
        // order charged while it is open waits too (with this test's 8 s deadline: gives up as well). So that order
        // comes last, once every charge above has been answered and the deadline order's charge is in flight.
        for (Row charged : List.copyOf(rows)) {
            if (List.of("happy", "declined", "shipping failed").contains(charged.path())) {
                await(charged.path() + " charged").atMost(Duration.ofSeconds(30)).until(() -> client.payment(charged.orderId()) != null);
            }
        }
        // Nobody cancels this one: the 8 s deadline passes while the charge (10 s for tok_slow) is still in flight.
        long paymentCalls = client.providerCalls();
        Row deadline = new Row("deadline", client.place("MUG-1", 1, "tok_slow", "DE"), "CANCELLED", "TIMEOUT");
        rows.add(deadline);
        await("the deadline order's charge in flight").atMost(Duration.ofSeconds(30)).until(() -> client.providerCalls() > paymentCalls);
        // The customer cancels while the charge is in flight (or before it starts).
        String early = client.place("MUG-1", 1, "tok_slow", "DE");
        assertEquals(202, client.cancel(early));
        rows.add(new Row("customer cancel (early)", early, "CANCELLED", "CUSTOMER_CANCELLED"));
        rows.add(new Row("provider unavailable", client.place("MUG-1", 1, "tok_unavailable", "DE"), "CANCELLED", "PAYMENT_UNAVAILABLE"));

        List<String> ids = rows.stream().map(Row::orderId).toList();
        client.awaitTerminal(ids, Duration.ofSeconds(60));

        for (Row row : rows) {
            var order = client.order(row.orderId());
            assertEquals(row.status(), order.getString("status"), row.path());
            assertEquals(row.reason(), order.getString("failureReason"), row.path());
        }
        Invariants.check(client, ids, Map.of("MUG-1", 100, "RARE-1", 0));
        // The deadline row was charged (late) and refunded: compensation really ran.
        var deadlinePayment = client.payment(deadline.orderId());
        assertNotNull(deadlinePayment);
        assertEquals("REFUNDED", deadlinePayment.getString("status"));
    }

    @Test
    void thePaymentTokenReachesTheProviderAndNoHistoryDocumentOrLogOfOurs() throws Exception {
        client.product("PRIVATE-1", "Notebook", "4.00", 5);
        String token = "tok_" + UUID.randomUUID().toString().replace("-", "");
        String id = client.place("PRIVATE-1", 1, token, "DE");
        client.awaitStatus(id, "COMPLETED", Duration.ofSeconds(60));
        await("the document").atMost(Duration.ofSeconds(20)).until(() -> client.view(id) != null
                && "COMPLETED".equals(client.view(id).getString("status")));

        String history = given().get(client.url(Service.ORDER) + "/orders/" + id + "/events").then().statusCode(200)
                .body("[0].data.paymentMethod", is("****" + token.substring(token.length() - 4))).extract().asString();
        List<String> seen = new ArrayList<>(List.of(history, client.order(id).prettify(), client.view(id).prettify(),
                client.payment(id).prettify(), client.shipment(id).prettify()));
        for (Service s : Service.values()) {
            Path log = dataDir.resolve("logs").resolve(s.module() + ".log");
            if (s != Service.SANDBOX && Files.exists(log)) {
                seen.add(Files.readString(log));
            }
        }
        for (String text : seen) {
            assertFalse(text.contains(token), "the token in clear: " + text.substring(0, Math.min(400, text.length())));
        }
        assertEquals(1, client.ledger(id).getList("charges").size(), "the provider was charged with it");
    }

    @Test
    void aLateCancellationUndoesPaymentShipmentAndSale() {
        client.product("LATE-1", "Lamp", "25.00", 5);
        client.carrierFaults(0, 1500); // the carrier is slow: the order sits in PAID for a while
        try {
            String id = client.place("LATE-1", 1, "tok_visa", "DE");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> client.status(id).equals("PAID"));

            assertEquals(202, client.cancel(id));

            client.awaitTerminal(List.of(id), Duration.ofSeconds(30));
            var order = client.order(id);
            assertEquals("CANCELLED", order.getString("status"));
            assertEquals("CUSTOMER_CANCELLED", order.getString("failureReason"));
            assertEquals("REFUNDED", client.payment(id).getString("status"));
            Invariants.check(client, List.of(id), Map.of("LATE-1", 5));
            assertEquals(409, client.cancel(id), "a cancelled order cannot be cancelled again");
        } finally {
            client.resetFaults();
        }
    }

    @Test
    void oneOrderIsOneTraceAcrossEveryServiceIncludingCompensationsAndTheCustomersCancel() {
        client.product("TRACE-1", "Trace mug", "5.00", 10);
        String shippingFailed = client.place("TRACE-1", 1, "tok_visa", "XX");
        String cancelled = client.place("TRACE-1", 1, "tok_slow", "DE");
        assertEquals(202, client.cancel(cancelled));
        client.awaitTerminal(List.of(shippingFailed, cancelled), Duration.ofSeconds(60));
        Invariants.readModelConverges(client, List.of(shippingFailed, cancelled));

        for (String order : List.of(shippingFailed, cancelled)) {
            Map<String, List<String>> byTopic = client.traceparents(order);
            assertEquals(Set.of("order-events", "inventory-events", "payment-events", "shipping-events"), byTopic.keySet(),
                    "events of every service, compensations included");
            List<String> traceparents = byTopic.values().stream().flatMap(List::stream).toList();
            assertTrue(traceparents.stream().allMatch(t -> t != null && t.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")),
                    "every event carries a W3C traceparent: " + traceparents);
            Set<String> traceIds = traceparents.stream().map(t -> t.split("-")[1]).collect(java.util.stream.Collectors.toSet());
            assertEquals(1, traceIds.size(), "one trace for order " + order + ": " + traceparents);
            assertTrue(traceparents.stream().map(t -> t.split("-")[2]).distinct().count() > 3, "a span per step");
            // The read model's timeline shows the same trace on every step.
            List<String> timeline = client.view(order).getList("timeline.traceId");
            assertEquals(traceIds, Set.copyOf(timeline), "timeline trace ids of " + order);
        }
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameOrderAndADifferentBodyIsRefused() {
        client.product("KEY-1", "Pen", "1.50", 10);
        Map<String, Object> body = SagaClient.orderBody("KEY-1", 1, "tok_visa", "DE");
        String key = UUID.randomUUID().toString();

        String first = client.post(body, key).then().statusCode(202).extract().path("orderId");
        Response again = client.post(body, key);
        again.then().statusCode(202).header("Location", endsWith("/orders/" + first));
        assertEquals(first, again.jsonPath().getString("orderId"));
        client.post(SagaClient.orderBody("KEY-1", 2, "tok_visa", "DE"), key).then().statusCode(422)
                .contentType("application/problem+json");

        client.awaitTerminal(List.of(first), Duration.ofSeconds(30));
        assertEquals(9, client.productOf("KEY-1").getInt("available"), "one order, one unit");
        Invariants.check(client, List.of(first), Map.of("KEY-1", 10));
    }

    @Test
    void badInputIsA400NamingTheFieldAndWritesNothing() throws Exception {
        long before = orderEventsStored();
        String orders = client.url(Service.ORDER) + "/orders";
        Map<String, Object> good = SagaClient.orderBody("MUG-1", 1, "tok_visa", "DE");

        given().contentType(ContentType.JSON).body("{\"customerId\": ").post(orders).then()
                .statusCode(400).contentType("application/problem+json").body("title", is("Malformed JSON"));
        assertViolation(with(good, "items", List.of()), "items");
        assertViolation(with(good, "items", List.of(Map.of("sku", "MUG-1", "quantity", -1))), "items[0].quantity");
        assertViolation(with(good, "items", List.of(Map.of("sku", "MUG-1", "quantity", 1001))), "items[0].quantity");
        assertViolation(with(good, "items", List.of(Map.of("sku", "MUG-1", "quantity", "lots"))), "items[0].quantity");
        assertViolation(with(good, "items", List.of(Map.of("sku", "S".repeat(65), "quantity", 1))), "items[0].sku");
        assertViolation(with(good, "items", Collections.nCopies(101, Map.of("sku", "MUG-1", "quantity", 1))), "items");
        assertViolation(with(good, "customerId", ""), "customerId");
        assertViolation(with(good, "paymentToken", null), "paymentToken");
        assertViolation(with(good, "shippingAddress", null), "shippingAddress");
        given().get(client.url(Service.ORDER) + "/orders/no-such-order").then().statusCode(404)
                .contentType("application/problem+json");
        given().get(client.url(Service.ORDER) + "/orders/x?asOf=yesterday").then().statusCode(400)
                .body("violations.field", hasItem("asOf"));
        given().contentType(ContentType.JSON).body(Map.of("sku", "P", "name", "P", "price", -1, "stock", 1))
                .post(client.url(Service.INVENTORY) + "/products").then().statusCode(400).body("violations.field", hasItem("price"));

        assertEquals(before, orderEventsStored(), "a rejected request stores and publishes nothing");
    }

    @Test
    void aCustomerNeverSeesListsOrCancelsAnotherCustomersOrderByAnyEndpoint() {
        client.product("MINE-1", "Mug", "9.90", 10);
        String alice = "Bearer " + stack.token("c-alice");
        String bob = "Bearer " + stack.token("c-bob");
        String order = client.placeFor("c-alice", "MINE-1", 1);
        client.awaitStatus(order, "COMPLETED", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(20)).until(() -> given().header("Authorization", alice)
                .get(client.url(Service.READ_MODEL) + "/views/orders/" + order).statusCode() == 200);

        Map<Service, List<String>> hers = Map.of(Service.ORDER, List.of("/orders/" + order, "/orders/" + order + "/events"),
                Service.PAYMENT, List.of("/payments/" + order), Service.SHIPPING, List.of("/shipments/" + order),
                Service.READ_MODEL, List.of("/views/orders/" + order, "/views/customers/c-alice"));
        hers.forEach((service, paths) -> paths.forEach(path -> {
            given().header("Authorization", alice).get(client.url(service) + path).then().statusCode(200);
            given().header("Authorization", bob).get(client.url(service) + path).then()
                    .statusCode(404).contentType("application/problem+json");
        }));
        given().header("Authorization", bob).get(client.url(Service.READ_MODEL) + "/views/orders").then()
                .statusCode(200).body("items.orderId", not(hasItem(order)));
        given().header("Authorization", bob).post(client.url(Service.ORDER) + "/orders/" + order + "/cancel").then().statusCode(404);
        // Admin operations are refused to customers; nothing is open without a token but the catalog and health.
        for (Service s : List.of(Service.ORDER, Service.INVENTORY, Service.PAYMENT, Service.SHIPPING, Service.READ_MODEL)) {
            given().header("Authorization", alice).get(client.url(s) + "/admin/dlq").then().statusCode(403);
        }
        given().header("Authorization", alice).get(client.url(Service.READ_MODEL) + "/views/stats").then().statusCode(403);
        given().header("Authorization", alice).contentType(ContentType.JSON).body(Map.of("quantity", 5))
                .post(client.url(Service.INVENTORY) + "/products/MINE-1/restock").then().statusCode(403);
        given().header("Authorization", "Bearer " + stack.token("c-alice").replace('.', '!'))
                .get(client.url(Service.ORDER) + "/orders/" + order).then().statusCode(401).contentType("application/problem+json");
        assertEquals("COMPLETED", client.status(order), "nothing Bob did changed Alice's order");
    }

    @Test
    void sixHundredGeneratedMalformedRequestsAreRefusedWithAProblemAndChangeNothing() throws Exception {
        client.product("BAD-INPUT-MUG", "Mug", "9.90", 10);
        List<Long> before = quiet();
        List<MalformedRequests.Request> requests = new MalformedRequests(7).generate(600);
        Map<String, Integer> byStatus = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (MalformedRequests.Request r : requests) {
            var spec = given().urlEncodingEnabled(false);
            if (r.body() != null) {
                spec = spec.contentType(r.contentType()).body(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Response response = spec.request(r.method(), client.url(r.service()) + r.path());
            int status = response.statusCode();
            byStatus.merge(status + " " + r.service().module(), 1, Integer::sum);
            String type = response.contentType();
            if (status / 100 != 4 || type == null || !type.startsWith("application/problem+json")) {
                wrong.add(status + " " + type + " for " + r.what() + ": " + abbreviate(response.asString()));
            }
        }
        System.out.println("malformed requests by answer: " + byStatus);
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + requests.size() + " not a 4xx problem:\n" + String.join("\n",
                wrong.subList(0, Math.min(30, wrong.size()))));
        assertEquals(before, quiet(), "stored events, documents, products, stock and provider calls are as before");
    }

    /** Waits until nothing moves for a moment (earlier tests' sagas have ended), and returns what it counted. */
    private static List<Long> quiet() throws Exception {
        List<Long> last = stored();
        for (int i = 0; i < 60; i++) {
            Thread.sleep(1000);
            List<Long> now = stored();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        fail("the stack never came to rest: " + last);
        return last;
    }

    private static List<Long> stored() throws Exception {
        List<Long> counts = new ArrayList<>();
        for (String[] q : List.of(new String[]{"order_db", "select count(*) from events"},
                new String[]{"inventory_db", "select count(*) from events"},
                new String[]{"inventory_db", "select count(*) + coalesce(sum(received), 0) + coalesce(sum(available), 0) from products"},
                new String[]{"payment_db", "select count(*) from events"},
                new String[]{"shipping_db", "select count(*) from events"},
                new String[]{"readmodel_db", "select count(*) from order_documents"})) {
            try (Connection c = stack.postgres().adminDataSource(q[0]).getConnection();
                 ResultSet rs = c.createStatement().executeQuery(q[1])) {
                rs.next();
                counts.add(rs.getLong(1));
            }
        }
        counts.add(client.providerCalls());
        return counts;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(field, value);
        return copy;
    }

    private static void assertViolation(Map<String, Object> body, String field) {
        given().contentType(ContentType.JSON).body(body).post(client.url(Service.ORDER) + "/orders").then()
                .statusCode(400).contentType("application/problem+json")
                .body("status", is(400)).body("violations.field", hasItem(field));
    }

    private static long orderEventsStored() throws Exception {
        try (Connection c = stack.postgres().adminDataSource("order_db").getConnection();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from events")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
