package io.sagashop.devstack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code ./sagashop demo}: places one order down every saga path against an already running {@code ./sagashop up}
 * (it starts nothing itself), waits until every saga has ended and prints the outcome table.
 */
final class Demo {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration PAID_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PAID_POLL = Duration.ofMillis(50);
    // Holds the late-cancel order at PAID while its booking is in flight, ample time for polls every PAID_POLL; stays
    // below shipping's 2 s booking timeout, past which a slow carrier is retried later instead of answering.
    private static final int CARRIER_LATENCY_MS = 1500;
    private static final String MUG = "DEMO-MUG";
    private static final String RARE = "DEMO-RARE";
    private static final String COMPLETED = "COMPLETED";
    private static final String CANCELLED = "CANCELLED";
    private static final String ROW = "%-8s  %-23s  %-9s  %-19s  %7s  %7s  %-9s  %s%n";

    /** What the demo does with an order after placing it. */
    private enum Drive { PLACE, CANCEL_AT_ONCE, CANCEL_WHEN_PAID }

    /** One saga path: the order to place (under its idempotency key), how to drive it, the outcome it must reach. */
    private record SagaPath(String name, ObjectNode order, String idempotencyKey, Drive drive,
                            String status, String reason) {
    }

    private record Placed(SagaPath path, String orderId, boolean sameOrderForSameKey) {
    }

    private record Reply(HttpRequest request, int status, JsonNode body) {
        JsonNode expect(int... accepted) {
            if (Arrays.stream(accepted).noneMatch(s -> s == status)) {
                throw new DemoFailure(request.method() + " " + request.uri() + " answered " + status + ": "
                        + body.path("detail").asText(body.toString()));
            }
            return body;
        }
    }

    /** Something the demo cannot go on from; the message says what. */
    private static final class DemoFailure extends RuntimeException {
        DemoFailure(String message) {
            super(message);
        }
    }

    private final int portOffset;
    /** An admin's bearer token: the demo sets up the catalog and places orders for its customer. */
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with the services
            .connectTimeout(REQUEST_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    // UTF-8 whatever the locale says, so that the check marks survive a C/POSIX locale.
    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

    private Demo(int portOffset, String authorization) {
        this.portOffset = portOffset;
        this.authorization = authorization;
    }

    /** Returns the exit code: 0 when every path ended as expected, 1 otherwise, 2 on bad options. */
    static int run(List<String> args) {
        int portOffset = 0;
        java.nio.file.Path dataDir = io.sagashop.devstack.auth.Tokens.defaultDataDir();
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--port-offset" -> portOffset = Main.number(Main.value(args, ++i, arg), arg, 0);
                    case "--data-dir" -> dataDir = java.nio.file.Path.of(Main.value(args, ++i, arg)).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("sagashop: " + e.getMessage() + Main.SEE_HELP);
            return 2;
        }
        String authorization;
        try {
            authorization = io.sagashop.devstack.auth.Tokens.adminHeader(dataDir);
        } catch (IOException e) {
            System.err.println("sagashop: demo: " + e.getMessage());
            return 1;
        }
        try {
            return new Demo(portOffset, authorization).placeAndReport();
        } catch (DemoFailure e) {
            System.err.println("\nsagashop: demo: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            return 130;
        } catch (RuntimeException e) {
            // a bug of the demo's own: one line, not a stack trace
            System.err.println("\nsagashop: demo: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return 1;
        }
    }

    private int placeAndReport() throws InterruptedException {
        if (!ready()) {
            System.err.println("sagashop: nothing is running; start it with ./sagashop up (in another terminal)");
            return 1;
        }
        upsertProduct(MUG, "Mug", "12.50", 1000);
        // No stock at all, so that any order of it is OUT_OF_STOCK, also on the next run.
        upsertProduct(RARE, "Rare print", "99.00", 0);
        List<SagaPath> paths = paths();
        out.printf("sagashop: one order down each of %d saga paths, against %s ...%n", paths.size(), url(Service.ORDER, "/orders"));
        List<Placed> placed = placeAll(paths);
        Map<String, JsonNode> outcomes = awaitOutcomes(placed.stream().map(Placed::orderId).distinct().toList());
        return printTable(placed, outcomes) ? 0 : 1;
    }

    private List<SagaPath> paths() {
        SagaPath happy = path("happy", order(MUG, 2, "tok_visa", "DE"), Drive.PLACE, COMPLETED, null);
        return List.of(
                happy,
                path("out of stock", order(RARE, 1, "tok_visa", "DE"), Drive.PLACE, CANCELLED, "OUT_OF_STOCK"),
                path("unknown product", order("NO-SUCH-SKU", 1, "tok_visa", "DE"), Drive.PLACE, CANCELLED, "UNKNOWN_PRODUCT"),
                path("declined", order(MUG, 1, "tok_decline", "DE"), Drive.PLACE, CANCELLED, "PAYMENT_DECLINED"),
                path("shipping failed", order(MUG, 1, "tok_visa", "XX"), Drive.PLACE, CANCELLED, "SHIPPING_FAILED"),
                path("customer cancel (early)", order(MUG, 1, "tok_slow", "DE"), Drive.CANCEL_AT_ONCE, CANCELLED, "CUSTOMER_CANCELLED"),
                path("customer cancel (late)", order(MUG, 1, "tok_visa", "DE"), Drive.CANCEL_WHEN_PAID, CANCELLED, "CUSTOMER_CANCELLED"),
                // After the late cancel has its charge: the unavailable provider's failures, retried until this order gives
                // up shortly before its deadline, open the payment breaker, and an order charged meanwhile waits too.
                path("provider unavailable", order(MUG, 1, "tok_unavailable", "DE"), Drive.PLACE, CANCELLED, "PAYMENT_UNAVAILABLE"),
                // Same key and same body as the happy order: the service must hand back that order, not place a second one.
                new SagaPath("idempotency replay", happy.order(), happy.idempotencyKey(), Drive.PLACE, COMPLETED, null));
    }

    private static SagaPath path(String name, ObjectNode order, Drive drive, String status, String reason) {
        return new SagaPath(name, order, UUID.randomUUID().toString(), drive, status, reason);
    }

    private ObjectNode order(String sku, int quantity, String paymentToken, String country) {
        ObjectNode order = json.createObjectNode()
                .put("customerId", "demo-customer")
                .put("email", "demo@sagashop.local");
        order.putArray("items").addObject().put("sku", sku).put("quantity", quantity);
        order.put("paymentToken", paymentToken);
        order.putObject("shippingAddress").put("name", "Ada Demo").put("street", "Demostrasse 1")
                .put("city", "Berlin").put("postalCode", "10115").put("country", country);
        return order;
    }

    private List<Placed> placeAll(List<SagaPath> paths) throws InterruptedException {
        Map<String, String> orderByKey = new HashMap<>();
        List<Placed> placed = new ArrayList<>();
        for (SagaPath path : paths) {
            String orderId = switch (path.drive()) {
                case PLACE -> placeOrder(path);
                case CANCEL_AT_ONCE -> cancelAtOnce(path);
                case CANCEL_WHEN_PAID -> cancelWhenPaid(path);
            };
            String first = orderByKey.putIfAbsent(path.idempotencyKey(), orderId);
            placed.add(new Placed(path, orderId, first == null || first.equals(orderId)));
        }
        return placed;
    }

    /** tok_slow holds the charge for 10 s, so the cancellation lands before anything was charged. */
    private String cancelAtOnce(SagaPath path) throws InterruptedException {
        String orderId = placeOrder(path);
        cancelOrder(orderId);
        return orderId;
    }

    /**
     * A slowed carrier keeps the order in PAID long enough to cancel it there: the charge is refunded, the shipment
     * cancelled. The carrier is slowed before the order is placed, and the cancel goes out on the first poll that sees PAID.
     */
    private String cancelWhenPaid(SagaPath path) throws InterruptedException {
        try {
            slowCarrier();
            String orderId = placeOrder(path);
            String status = awaitStatus(orderId, "PAID", PAID_TIMEOUT);
            if (status.equals("PAID")) {
                cancelOrder(orderId);
            } else {
                System.err.printf("sagashop: demo: order %s was still %s, not PAID, after %d s; not cancelled%n",
                        orderId, status, PAID_TIMEOUT.toSeconds());
            }
            return orderId;
        } finally {
            resetCarrier();
        }
    }

    /** Clears the sandbox fault knobs without hiding why the path may have failed; a knob left set is reported. */
    private void resetCarrier() throws InterruptedException {
        try {
            clearFaults();
        } catch (DemoFailure e) {
            System.err.println("sagashop: demo: could not reset the sandbox fault knobs: " + e.getMessage());
        }
    }

    /** Polls until the order has the wanted status, has ended, or the time is up; returns the last status seen. */
    private String awaitStatus(String orderId, String wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String status = orderState(orderId).path("status").asText();
            if (status.equals(wanted) || ended(status) || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(PAID_POLL.toMillis());
        }
    }

    private Map<String, JsonNode> awaitOutcomes(Collection<String> orderIds) throws InterruptedException {
        Map<String, JsonNode> last = new HashMap<>();
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        int shown = -1;
        while (true) {
            int done = 0;
            for (String id : orderIds) {
                if (!ended(last.get(id))) {
                    last.put(id, orderState(id));
                }
                done += ended(last.get(id)) ? 1 : 0;
            }
            if (done != shown) { // rewrite the line only on progress, so that a piped log stays short
                out.printf("\rwaiting for %d sagas... %d/%d done", orderIds.size(), done, orderIds.size());
                shown = done;
            }
            if (done == orderIds.size() || System.nanoTime() > deadline) {
                out.println(done == orderIds.size() ? "" : " (the rest still running after " + SETTLE_TIMEOUT.toSeconds() + " s)");
                return last;
            }
            Thread.sleep(200);
        }
    }

    private static boolean ended(JsonNode order) {
        return order != null && ended(order.path("status").asText());
    }

    private static boolean ended(String status) {
        return status.equals(COMPLETED) || status.equals(CANCELLED);
    }

    private boolean printTable(List<Placed> placed, Map<String, JsonNode> outcomes) throws InterruptedException {
        out.printf("%n" + ROW, "order", "path", "status", "reason", "charge", "refund", "shipment", "ok");
        int good = 0;
        for (Placed p : placed) {
            JsonNode order = outcomes.get(p.orderId());
            JsonNode payment = payment(p.orderId());
            String status = order.path("status").asText("-");
            String reason = order.path("failureReason").textValue();
            boolean ok = p.sameOrderForSameKey() && p.path().status().equals(status) && Objects.equals(p.path().reason(), reason);
            good += ok ? 1 : 0;
            out.printf(ROW, p.orderId().substring(0, Math.min(8, p.orderId().length())), p.path().name(), status,
                    reason == null ? "-" : reason, amount(payment.path("capturedAmount")), amount(payment.path("refundedAmount")),
                    shipment(p.orderId()).path("status").asText("-"), ok ? "✔" : "✘");
        }
        out.printf("%n%d of %d paths ended as expected.%n", good, placed.size());
        out.println("deadline TIMEOUT: start with a short deadline (SAGASHOP_SAGA_DEADLINE=5s ./sagashop up) and use token tok_slow");
        // templates for the reader, not URIs: '{' is not allowed in a URI
        out.printf("each order's event history: %s%n", base(Service.ORDER) + "/orders/{orderId}/events");
        out.printf("each order's saga timeline, live: %s%n", base(Service.READ_MODEL) + "/?order={orderId}");
        return good == placed.size();
    }

    private static String amount(JsonNode value) {
        return value.isNumber() ? value.decimalValue().setScale(2, RoundingMode.HALF_UP).toPlainString() : "-";
    }

    // ---- one method per HTTP call ----

    private boolean ready() throws InterruptedException {
        try {
            return send(HttpRequest.newBuilder(url(Service.ORDER, "/q/health/ready")).GET()).status() == 200;
        } catch (DemoFailure e) {
            return false;
        }
    }

    private void upsertProduct(String sku, String name, String price, int stock) throws InterruptedException {
        ObjectNode product = json.createObjectNode()
                .put("sku", sku).put("name", name).put("price", new BigDecimal(price)).put("stock", stock);
        send(post(url(Service.INVENTORY, "/products"), product)).expect(200, 201);
    }

    private String placeOrder(SagaPath path) throws InterruptedException {
        HttpRequest.Builder request = post(url(Service.ORDER, "/orders"), path.order())
                .header("Idempotency-Key", path.idempotencyKey());
        return send(request).expect(200, 201, 202).path("orderId").asText();
    }

    /** 409 is no failure of the demo: the order ended first, and the table shows how. */
    private void cancelOrder(String orderId) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(Service.ORDER, "/orders/" + orderId + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody());
        send(request).expect(202, 409);
    }

    private JsonNode orderState(String orderId) throws InterruptedException {
        return send(HttpRequest.newBuilder(url(Service.ORDER, "/orders/" + orderId)).GET()).expect(200);
    }

    /** The payment, or a missing node when none was attempted (404). */
    private JsonNode payment(String orderId) throws InterruptedException {
        Reply reply = send(HttpRequest.newBuilder(url(Service.PAYMENT, "/payments/" + orderId)).GET());
        return reply.status() == 404 ? MissingNode.getInstance() : reply.expect(200);
    }

    /** The shipment, or a missing node when none was booked (404). */
    private JsonNode shipment(String orderId) throws InterruptedException {
        Reply reply = send(HttpRequest.newBuilder(url(Service.SHIPPING, "/shipments/" + orderId)).GET());
        return reply.status() == 404 ? MissingNode.getInstance() : reply.expect(200);
    }

    private void slowCarrier() throws InterruptedException {
        ObjectNode knobs = json.createObjectNode().put("errorRate", 0).put("latencyMs", CARRIER_LATENCY_MS);
        HttpRequest.Builder request = HttpRequest.newBuilder(url(Service.SANDBOX, "/sandbox/faults/carrier"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(knobs.toString()));
        send(request).expect(200, 204);
    }

    private void clearFaults() throws InterruptedException {
        send(HttpRequest.newBuilder(url(Service.SANDBOX, "/sandbox/faults")).DELETE()).expect(200, 204);
    }

    private static HttpRequest.Builder post(URI url, JsonNode body) {
        return HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private Reply send(HttpRequest.Builder builder) throws InterruptedException {
        HttpRequest request = builder.timeout(REQUEST_TIMEOUT).header("Authorization", authorization).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DemoFailure(request.method() + " " + request.uri() + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return new Reply(request, response.statusCode(), parse(response.body()));
    }

    /** Any body as JSON; one that is not JSON (a proxy's error page, say) still shows in error messages. */
    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return TextNode.valueOf(body);
        }
    }

    private URI url(Service service, String path) {
        return URI.create(base(service) + path);
    }

    private String base(Service service) {
        return "http://localhost:" + (service.defaultPort() + portOffset);
    }
}
