package io.sagashop.systemtests;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.Service;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a client of a running SagaShop does, over HTTP only. */
final class SagaClient {

    static final List<String> TERMINAL = List.of("COMPLETED", "CANCELLED");

    private final Devstack stack;

    SagaClient(Devstack stack) {
        this.stack = stack;
        SystemTests.actAs("Bearer " + stack.adminToken());
    }

    String url(Service service) {
        return stack.service(service).url();
    }

    void product(String sku, String name, String price, int stock) {
        given().contentType(ContentType.JSON)
                .body(Map.of("sku", sku, "name", name, "price", new BigDecimal(price), "stock", stock))
                .post(url(Service.INVENTORY) + "/products").then().statusCode(201);
    }

    JsonPath productOf(String sku) {
        return given().get(url(Service.INVENTORY) + "/products/" + sku).then().statusCode(200).extract().jsonPath();
    }

    static Map<String, Object> orderBody(String sku, int quantity, String token, String country) {
        return Map.of("customerId", "customer-1", "email", "buyer@example.com",
                "items", List.of(Map.of("sku", sku, "quantity", quantity)),
                "paymentToken", token,
                "shippingAddress", Map.of("name", "Ada", "street", "1 Main St", "city", "Springfield",
                        "postalCode", "12345", "country", country));
    }

    Response post(Object body, String idempotencyKey) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post(url(Service.ORDER) + "/orders");
    }

    /** Places an order with customer {@code customerId}'s own token (the customer comes from the token). */
    String placeFor(String customerId, String sku, int quantity) {
        Map<String, Object> body = new java.util.HashMap<>(orderBody(sku, quantity, "tok_visa", "DE"));
        body.remove("customerId");
        return given().header("Authorization", "Bearer " + stack.token(customerId)).contentType(ContentType.JSON).body(body)
                .post(url(Service.ORDER) + "/orders").then().statusCode(202).extract().path("orderId");
    }

    String place(String sku, int quantity, String token, String country) {
        Response response = post(orderBody(sku, quantity, token, country), UUID.randomUUID().toString());
        assertEquals(202, response.statusCode(), response.asString());
        return response.jsonPath().getString("orderId");
    }

    JsonPath order(String orderId) {
        return given().get(url(Service.ORDER) + "/orders/" + orderId).then().statusCode(200).extract().jsonPath();
    }

    String status(String orderId) {
        return order(orderId).getString("status");
    }

    int cancel(String orderId) {
        return given().post(url(Service.ORDER) + "/orders/" + orderId + "/cancel").statusCode();
    }

    /** The payment, or null when none was attempted (404). */
    JsonPath payment(String orderId) {
        Response r = given().get(url(Service.PAYMENT) + "/payments/" + orderId);
        return r.statusCode() == 404 ? null : r.then().statusCode(200).extract().jsonPath();
    }

    /** The shipment, or null when none was booked (404). */
    JsonPath shipment(String orderId) {
        Response r = given().get(url(Service.SHIPPING) + "/shipments/" + orderId);
        return r.statusCode() == 404 ? null : r.then().statusCode(200).extract().jsonPath();
    }

    /** The {@code traceparent} header of every event published for the order, by saga topic. */
    Map<String, List<String>> traceparents(String orderId) {
        Map<String, Object> config = Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker().bootstrapServers(),
                org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, List<String>> found = new java.util.TreeMap<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : io.sagashop.contracts.Topics.ALL) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new org.apache.kafka.common.TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (orderId.equals(record.key())) {
                        var header = record.headers().lastHeader("traceparent");
                        found.computeIfAbsent(record.topic(), t -> new java.util.ArrayList<>())
                                .add(header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return found;
    }

    /** The read model's document of the order, or null while it has none (404). */
    JsonPath view(String orderId) {
        Response r = given().get(url(Service.READ_MODEL) + "/views/orders/" + orderId);
        return r.statusCode() == 404 ? null : r.then().statusCode(200).extract().jsonPath();
    }

    /** The payment provider's own books for the order. */
    JsonPath ledger(String orderId) {
        return given().get(url(Service.SANDBOX) + "/provider/payments/ledger?orderId=" + orderId).then().statusCode(200)
                .extract().jsonPath();
    }

    /** The carrier's bookings for the order. */
    List<Map<String, Object>> bookings(String orderId) {
        return given().get(url(Service.SANDBOX) + "/carrier/shipments?orderId=" + orderId).then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    /** How many calls the sandbox payment provider received so far (counted as they arrive). */
    long providerCalls() {
        return given().get(url(Service.SANDBOX) + "/sandbox/calls").then().statusCode(200).extract().jsonPath().getLong("payments");
    }

    void carrierFaults(double errorRate, int latencyMs) {
        given().contentType(ContentType.JSON).body(Map.of("errorRate", errorRate, "latencyMs", latencyMs))
                .put(url(Service.SANDBOX) + "/sandbox/faults/carrier").then().statusCode(200);
    }

    void resetFaults() {
        given().delete(url(Service.SANDBOX) + "/sandbox/faults").then().statusCode(200);
    }

    /** Waits for the order to reach {@code wanted}; fails at once if it ends otherwise. */
    void awaitStatus(String orderId, String wanted, Duration within) {
        await(orderId + " " + wanted).atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            String now = status(orderId);
            assertEquals(true, now.equals(wanted) || !TERMINAL.contains(now), orderId + " ended " + now + ", not " + wanted);
            return now.equals(wanted);
        });
    }

    void awaitTerminal(Collection<String> orderIds, Duration within) {
        try {
            await("every order COMPLETED or CANCELLED").atMost(within).pollInterval(Duration.ofMillis(250))
                    .until(() -> orderIds.stream().allMatch(id -> TERMINAL.contains(status(id))));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder stuck = new StringBuilder("orders not terminal after " + within + ":");
            for (String id : orderIds) {
                if (!TERMINAL.contains(status(id))) {
                    stuck.append("\n  ").append(id).append(" events ")
                            .append(given().get(url(Service.ORDER) + "/orders/" + id + "/events").jsonPath().getList("type"))
                            .append(" payment ").append(given().get(url(Service.PAYMENT) + "/payments/" + id).asString())
                            .append(" shipment ").append(given().get(url(Service.SHIPPING) + "/shipments/" + id).asString());
                }
            }
            throw new AssertionError(stuck.toString(), e);
        }
    }
}
