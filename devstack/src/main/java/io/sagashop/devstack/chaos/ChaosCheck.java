package io.sagashop.devstack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.Service;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariants of docs/invariants.md after a chaos run, read from the services' APIs and from the sandbox providers'
 * own books. Returns the violations; none means the run proved what it was meant to.
 */
public final class ChaosCheck {

    /** One broken invariant: its number in docs/invariants.md, the order (or SKU, or topic) and what was wrong. */
    public record Violation(String invariant, String subject, String detail) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Devstack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Violation> violations = new ArrayList<>();

    ChaosCheck(Devstack stack) {
        this.stack = stack;
    }

    /** Waits until every order is terminal (or {@code within} passed); the orders still open then. */
    List<String> awaitTerminal(Collection<String> ids, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> open = new ArrayList<>(ids);
        while (true) {
            List<String> still = new ArrayList<>();
            for (String id : open) {
                JsonNode order = get(Service.ORDER, "/orders/" + id);
                if (order == null || !terminal(order.path("status").asText())) {
                    still.add(id);
                }
            }
            open = still;
            if (open.isEmpty() || System.nanoTime() > deadline) {
                return open;
            }
            Thread.sleep(1000);
        }
    }

    List<Violation> check(Collection<String> ids, int poisonSent) throws Exception {
        Map<String, Integer> soldByOrders = new HashMap<>();
        for (String id : ids) {
            JsonNode order = get(Service.ORDER, "/orders/" + id);
            String status = order == null ? "MISSING" : order.path("status").asText();
            if (!terminal(status)) {
                violate("1 terminal", id, "status " + status);
                continue;
            }
            JsonNode payment = get(Service.PAYMENT, "/payments/" + id);
            JsonNode shipment = get(Service.SHIPPING, "/shipments/" + id);
            JsonNode charges = get(Service.SANDBOX, "/provider/payments/ledger?orderId=" + id).path("charges");
            JsonNode bookings = get(Service.SANDBOX, "/carrier/shipments?orderId=" + id);
            long live = 0;
            for (JsonNode b : bookings) {
                live += "BOOKED".equals(b.path("status").asText()) ? 1 : 0;
            }
            BigDecimal net = BigDecimal.ZERO;
            for (JsonNode c : charges) {
                net = net.add(c.path("amount").decimalValue()).subtract(c.path("refunded").decimalValue());
            }
            if (charges.size() > 1) {
                violate("3/4 one charge", id, charges.size() + " charges at the provider");
            }
            if (status.equals("COMPLETED")) {
                BigDecimal total = order.path("total").decimalValue();
                if (payment == null || !"CAPTURED".equals(payment.path("status").asText())) {
                    violate("3 completed", id, "payment " + payment);
                } else if (payment.path("capturedAmount").decimalValue().compareTo(total) != 0
                        || payment.path("refundedAmount").decimalValue().signum() != 0) {
                    violate("3 completed", id, "captured/refunded " + payment);
                }
                if (net.compareTo(total) != 0) {
                    violate("3 completed", id, "the provider holds " + net + ", the total is " + total);
                }
                if (shipment == null || !"SCHEDULED".equals(shipment.path("status").asText()) || live != 1) {
                    violate("3 completed", id, "shipment " + shipment + ", live bookings at the carrier " + live);
                }
                for (JsonNode item : order.path("items")) {
                    soldByOrders.merge(item.path("sku").asText(), item.path("quantity").asInt(), Integer::sum);
                }
            } else {
                if (net.signum() != 0) {
                    violate("4 cancelled", id, "the provider still holds " + net);
                }
                if (payment != null && payment.path("capturedAmount").decimalValue()
                        .compareTo(payment.path("refundedAmount").decimalValue()) != 0) {
                    violate("4 cancelled", id, "captured != refunded " + payment);
                }
                if (live != 0 || (shipment != null && "SCHEDULED".equals(shipment.path("status").asText()))) {
                    violate("4 cancelled", id, "shipment " + shipment + ", live bookings at the carrier " + live);
                }
            }
        }
        for (String sku : ChaosLoad.SKUS) {
            JsonNode p = get(Service.INVENTORY, "/products/" + sku);
            int available = p.path("available").asInt();
            int reserved = p.path("reserved").asInt();
            int sold = p.path("sold").asInt();
            if (available + reserved + sold != ChaosLoad.STOCK || reserved != 0 || sold != soldByOrders.getOrDefault(sku, 0)) {
                violate("2 stock", sku, "available " + available + ", reserved " + reserved + ", sold " + sold
                        + " (completed orders: " + soldByOrders.getOrDefault(sku, 0) + ")");
            }
        }
        readModelConverges(ids);
        deadLettersAreOnlyPoison(poisonSent);
        return List.copyOf(violations);
    }

    /** 6: within 30 s, every order's document says what the order service says. */
    private void readModelConverges(Collection<String> ids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> differ = new ArrayList<>(ids);
        while (!differ.isEmpty() && System.nanoTime() < deadline) {
            List<String> still = new ArrayList<>();
            for (String id : differ) {
                JsonNode order = get(Service.ORDER, "/orders/" + id);
                JsonNode doc = get(Service.READ_MODEL, "/views/orders/" + id);
                if (doc == null || !doc.path("status").asText().equals(order.path("status").asText())
                        || doc.path("lastSequence").asLong() != order.path("version").asLong()) {
                    still.add(id);
                }
            }
            differ = still;
            if (!differ.isEmpty()) {
                Thread.sleep(500);
            }
        }
        differ.forEach(id -> violate("6 read model", id, "the document disagrees with the order"));
    }

    /** Only what was injected as poison is in the dead-letter topics: nothing real was given up. */
    private void deadLettersAreOnlyPoison(int poisonSent) throws Exception {
        for (Service s : Service.SAGA_SERVICES) {
            JsonNode listing = get(s, "/admin/dlq");
            for (JsonNode r : listing.path("records")) {
                if (!r.path("orderId").asText("").startsWith("poison-")) {
                    violate("DLQ only poison", s.module() + "-dlq", r.toString());
                }
            }
        }
    }

    private static boolean terminal(String status) {
        return status.equals("COMPLETED") || status.equals("CANCELLED");
    }

    private void violate(String invariant, String subject, String detail) {
        violations.add(new Violation(invariant, subject, detail));
    }

    /** The JSON at the path, or null on 404; retried while the service does not answer. */
    JsonNode get(Service service, String path) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.service(service).url() + path))
                        .header("Authorization", "Bearer " + stack.adminToken())
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 404) {
                    return null;
                }
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
                last = new IOException(path + " answered " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw last;
    }
}
