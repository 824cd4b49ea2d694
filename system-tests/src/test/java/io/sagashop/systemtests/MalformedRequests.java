package io.sagashop.systemtests;

import io.sagashop.devstack.Service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Malformed requests to every endpoint that takes input, generated from a seed: valid bodies with one field replaced by
 * a value that can never be right for it (wrong JSON type, a fraction for a count, a control character, an empty or
 * oversized value), raw bodies that are not one JSON document, and path and query parameters with control characters,
 * odd encodings or absurd lengths. None may be accepted: each must be refused with a 4xx problem.
 */
final class MalformedRequests {

    /** One request: method, service, path (already percent-encoded), content type and body (null for none). */
    record Request(String method, Service service, String path, String contentType, String body, String what) {
    }

    /** Values no text field accepts. */
    static final List<Object> BAD_TEXT = List.of("\u0000", "a\u0000b", "bell\u0007", "line\nbreak", "\u001b[31m", "del\u007f",
            42, 1.5, true, false, Map.of(), List.of(), List.of("x"), Map.of("a", "b"));
    /** Values no count accepts (quantity, stock, restock). */
    static final List<Object> BAD_COUNT = List.of(1.5, -1, 0.0001, "1", "", "one", true, Map.of(), List.of(1), 1e30,
            new java.math.BigInteger("99999999999999999999999"), "\u0000");
    /** Values no price accepts. */
    static final List<Object> BAD_PRICE = List.of(-1, "12.50", "", true, Map.of(), List.of(), "\u0000", 1e300, 0.001);
    /** Values no object (address, item) accepts. */
    static final List<Object> BAD_OBJECT = List.of("x", 1, true, List.of(), List.of(Map.of()), "\u0000");
    /** Values no item list accepts. */
    static final List<Object> BAD_LIST = List.of("x", 1, true, Map.of(), List.of(), Collections.singletonList(null),
            List.of(1), List.of("MUG"), List.of(List.of()), Collections.nCopies(101, Map.of("sku", "MUG", "quantity", 1)));
    /** Path segments (percent-encoded) that are no id of anything: control characters, bad encodings, oversized. */
    static final List<String> BAD_IDS = List.of("%00", "a%00b", "%07", "%1B", "%7F", "x".repeat(300), "%0A", "%0D%0A",
            "%C0%AF", "%E2%80%AE" + "%00");
    /** Query values no parameter accepts. */
    static final List<String> BAD_QUERY = List.of("%00", "a%00b", "%07", "y".repeat(300));

    private final Random random;

    MalformedRequests(long seed) {
        this.random = new Random(seed);
    }

    static Map<String, Object> validOrder() {
        Map<String, Object> address = new LinkedHashMap<>(Map.of("name", "Ada", "street", "1 Main St", "city", "Springfield",
                "postalCode", "12345", "country", "DE"));
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("customerId", "c-bad-input");
        order.put("email", "ada@example.com");
        order.put("items", new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("sku", "BAD-INPUT-MUG", "quantity", 1)))));
        order.put("paymentToken", "tok_visa");
        order.put("shippingAddress", address);
        return order;
    }

    static Map<String, Object> validProduct() {
        return new LinkedHashMap<>(Map.of("sku", "BAD-INPUT-NEW", "name", "Never created", "price", 1.5, "stock", 1));
    }

    /** {@code n} requests: every raw body once, then every kind of mutation in turn with random choices. */
    List<Request> generate(int n) {
        List<Request> out = new ArrayList<>();
        rawBodies().forEach(body -> out.add(rawBody(body)));
        for (int i = 0; out.size() < n; i++) {
            switch (i % 7) {
                case 0, 1 -> out.add(orderWithBadField());
                case 2 -> out.add(productWithBadField());
                case 3 -> out.add(restockWithBadQuantity());
                case 4 -> out.add(rawBody());
                case 5 -> out.add(badId());
                default -> out.add(badQuery());
            }
        }
        return out;
    }

    private Request orderWithBadField() {
        Map<String, Object> order = validOrder();
        @SuppressWarnings("unchecked") Map<String, Object> address = (Map<String, Object>) order.get("shippingAddress");
        @SuppressWarnings("unchecked") Map<String, Object> item = ((List<Map<String, Object>>) order.get("items")).get(0);
        String field = pick(List.of("customerId", "email", "paymentToken", "items", "shippingAddress", "items[0].sku",
                "items[0].quantity", "items[0]", "shippingAddress.name", "shippingAddress.street", "shippingAddress.city",
                "shippingAddress.postalCode", "shippingAddress.country"));
        Object bad = switch (field) {
            case "items" -> pick(BAD_LIST);
            case "shippingAddress", "items[0]" -> pick(BAD_OBJECT);
            case "items[0].quantity" -> pick(BAD_COUNT);
            default -> pick(BAD_TEXT);
        };
        if (field.startsWith("shippingAddress.")) {
            address.put(field.substring("shippingAddress.".length()), bad);
        } else if (field.startsWith("items[0].")) {
            item.put(field.substring("items[0].".length()), bad);
        } else if (field.equals("items[0]")) {
            order.put("items", new ArrayList<>(Collections.singletonList(bad)));
        } else {
            order.put(field, bad);
        }
        return new Request("POST", Service.ORDER, "/orders", "application/json", json(order), field + " = " + json(bad));
    }

    private Request productWithBadField() {
        Map<String, Object> product = validProduct();
        String field = pick(List.of("sku", "name", "price", "stock"));
        Object bad = switch (field) {
            case "price" -> pick(BAD_PRICE);
            case "stock" -> pick(BAD_COUNT);
            default -> pick(BAD_TEXT);
        };
        product.put(field, bad);
        return new Request("POST", Service.INVENTORY, "/products", "application/json", json(product), field + " = " + json(bad));
    }

    private Request restockWithBadQuantity() {
        Object bad = pick(BAD_COUNT);
        return new Request("POST", Service.INVENTORY, "/products/BAD-INPUT-MUG/restock", "application/json",
                json(Map.of("quantity", bad)), "restock quantity = " + json(bad));
    }

    /** Bodies that are not one acceptable JSON document, whatever the endpoint. */
    private static List<String> rawBodies() {
        String valid = json(validOrder());
        return List.of("", "{", "}", "[]", "null", "1", "\"order\"", "{\"customerId\":", valid + "x", valid + " {}",
                valid + valid, valid.replaceFirst("\\{", "{\"customerId\":\"c-dup\","), "[".repeat(200) + "]".repeat(200),
                "{\"items\":" + "[".repeat(100) + "]".repeat(100) + "}", valid.substring(0, valid.length() / 2),
                "{'customerId':'single quotes'}", "{customerId:\"bare\"}", valid.replace("\"tok_visa\"", "\"tok_\u0000\""),
                "{\"customerId\":\"" + "x".repeat(70_000) + "\"}");
    }

    private Request rawBody() {
        return rawBody(pick(rawBodies()));
    }

    private Request rawBody(String body) {
        String target = pick(List.of("/orders", "/products"));
        Service service = target.equals("/orders") ? Service.ORDER : Service.INVENTORY;
        String contentType = random.nextInt(10) == 0 ? "text/plain" : "application/json";
        return new Request("POST", service, target, contentType, body, "raw body (" + contentType + ", " + body.length() + " chars) to " + target);
    }

    private Request badId() {
        String id = pick(BAD_IDS);
        record Target(String method, Service service, String path) {
        }
        Target t = pick(List.of(new Target("GET", Service.ORDER, "/orders/%s"), new Target("GET", Service.ORDER, "/orders/%s/events"),
                new Target("POST", Service.ORDER, "/orders/%s/cancel"), new Target("GET", Service.PAYMENT, "/payments/%s"),
                new Target("GET", Service.SHIPPING, "/shipments/%s"), new Target("GET", Service.READ_MODEL, "/views/orders/%s"),
                new Target("GET", Service.READ_MODEL, "/views/customers/%s"), new Target("GET", Service.INVENTORY, "/products/%s"),
                new Target("POST", Service.INVENTORY, "/products/%s/restock")));
        String body = t.path().endsWith("restock") ? "{\"quantity\":1}" : null;
        return new Request(t.method(), t.service(), String.format(t.path(), id), body == null ? null : "application/json", body,
                t.method() + " " + t.path() + " with id " + id);
    }

    private Request badQuery() {
        String value = pick(BAD_QUERY);
        String path = pick(List.of("/views/orders?customerId=%s", "/views/orders?status=%s", "/views/orders?cursor=%s",
                "/views/orders?size=%s", "/orders/00000000-0000-0000-0000-000000000000?asOf=%s"));
        Service service = path.startsWith("/views") ? Service.READ_MODEL : Service.ORDER;
        return new Request("GET", service, String.format(path, value), null, null, "GET " + path + " with " + value);
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    static String json(Object value) {
        try {
            return io.sagashop.contracts.EventCodec.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
