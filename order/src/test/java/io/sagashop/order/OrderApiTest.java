package io.sagashop.order;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sagashop.testing.SagaShopTestResources;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order API against the real PostgreSQL and Kafka (no participants run here, so orders stay PENDING). */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class OrderApiTest {

    static Map<String, Object> order() {
        return new HashMap<>(Map.of("customerId", "c-1", "email", "ada@example.com",
                "items", List.of(Map.of("sku", "MUG", "quantity", 2)), "paymentToken", "tok_visa",
                "shippingAddress", Map.of("name", "Ada", "street", "1 Main St", "city", "Springfield", "postalCode", "12345",
                        "country", "DE")));
    }

    @Test
    void placingAnOrderAnswers202WithItsLocationAndStartsItsEventStream() {
        String id = given().contentType(ContentType.JSON).body(order()).post("/orders").then()
                .statusCode(202).header("Location", containsString("/orders/")).body("status", is("PENDING"))
                .extract().path("orderId");

        given().get("/orders/" + id).then().statusCode(200)
                .body("orderId", is(id)).body("customerId", is("c-1")).body("status", is("PENDING"))
                .body("items[0].sku", is("MUG")).body("items[0].quantity", is(2)).body("version", is(1))
                .body("total", nullValue()).body("failureReason", nullValue());
        given().get("/orders/" + id + "/events").then().statusCode(200)
                .body("type", contains("OrderPlaced")).body("[0].version", is(1)).body("[0].data.paymentMethod", is("****sa"));
        given().get("/orders/" + id + "?asOf=2000-01-01T00:00:00Z").then().statusCode(404);
    }

    @Test
    void cancellingAPendingOrderRequestsCancellationOnceAndAnUnknownOrderIs404() {
        String id = given().contentType(ContentType.JSON).body(order()).post("/orders").then().statusCode(202).extract().path("orderId");

        given().post("/orders/" + id + "/cancel").then().statusCode(202).body("status", is("CANCELLING"));
        given().post("/orders/" + id + "/cancel").then().statusCode(202).body("status", is("CANCELLING"));
        given().get("/orders/" + id + "/events").then().body("type", contains("OrderPlaced", "OrderCancellationRequested"))
                .body("[1].data.reason", is("CUSTOMER_CANCELLED"));
        given().post("/orders/nope/cancel").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anIdempotencyKeyReturnsTheSameOrderAndRefusesADifferentBody() {
        String key = UUID.randomUUID().toString();
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(order()).post("/orders")
                .then().statusCode(202).extract().path("orderId");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(order()).post("/orders")
                .then().statusCode(202).body("orderId", is(first));
        Map<String, Object> other = order();
        other.put("customerId", "c-2");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(other).post("/orders")
                .then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void badInputIsA400ProblemNamingTheFieldAndStoresNothing() throws Exception {
        long before = storedEvents();

        given().contentType(ContentType.JSON).body("{\"customerId\": ").post("/orders").then()
                .statusCode(400).contentType("application/problem+json").body("title", is("Malformed JSON"));
        given().contentType(ContentType.JSON).post("/orders").then()
                .statusCode(400).contentType("application/problem+json");
        rejects(with("items", List.of(Map.of("sku", "MUG", "quantity", "many"))), "items[0].quantity");
        rejects(with("items", List.of(Map.of("sku", "MUG", "quantity", 0))), "items[0].quantity");
        rejects(with("items", List.of(Map.of("sku", "MUG", "quantity", 99_999_999_999L))), "items[0].quantity");
        rejects(with("items", List.of(Map.of("quantity", 1))), "items[0].sku");
        rejects(with("items", List.of()), "items");
        rejects(with("email", "not-an-email"), "email");
        rejects(with("shippingAddress", Map.of("name", "A", "street", "S", "city", "C", "postalCode", "1", "country", "Germany")),
                "shippingAddress.country");

        assertEquals(before, storedEvents());
    }

    @Test
    void jsonIsReadAsWrittenNeverCoercedAndTextHasNoControlCharacters() throws Exception {
        long before = storedEvents();
        rejects(with("items", List.of(Map.of("sku", "MUG", "quantity", 1.5))), "items[0].quantity");
        rejects(with("items", List.of(Map.of("sku", "MUG", "quantity", "1"))), "items[0].quantity");
        rejects(with("items", List.of(Map.of("sku", "MUG", "quantity", true))), "items[0].quantity");
        rejects(with("customerId", true), "customerId");
        rejects(with("customerId", 42), "customerId");
        rejects(with("paymentToken", Map.of("id", "tok_visa")), "paymentToken");
        given().contentType(ContentType.JSON).body(with("customerId", "c-\u0000-1")).post("/orders").then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("customerId")).body("detail", containsString("control character (U+0000)"));
        given().contentType(ContentType.JSON).body(with("shippingAddress", Map.of("name", "A\u0007", "street", "S", "city", "C",
                        "postalCode", "1", "country", "DE"))).post("/orders").then()
                .statusCode(400).body("violations.field", hasItem("shippingAddress.name"));

        String valid = io.sagashop.contracts.EventCodec.mapper().writeValueAsString(order());
        for (String body : List.of(valid + " {}", valid + "x", valid.replaceFirst("\\{", "{\"customerId\":\"other\","),
                "[".repeat(100) + "]".repeat(100))) {
            given().contentType(ContentType.JSON).body(body).post("/orders").then()
                    .statusCode(400).contentType("application/problem+json").body("title", is("Malformed JSON"));
        }
        assertEquals(before, storedEvents());
    }

    @Test
    void aBodyOverSixtyFourKibibytesIsA413ProblemWhetherItsLengthIsDeclaredOrNot() throws Exception {
        long before = storedEvents();
        byte[] big = ("{\"customerId\":\"" + "x".repeat(70_000) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        given().contentType(ContentType.JSON).body(big).post("/orders").then()
                .statusCode(413).contentType("application/problem+json").body("status", is(413));
        // Chunked: no declared length, refused as it is read.
        given().contentType(ContentType.JSON).body(new java.io.ByteArrayInputStream(big)).post("/orders").then()
                .statusCode(413).contentType("application/problem+json");
        assertEquals(before, storedEvents());
    }

    @Test
    void aPathOrQueryParameterWithAControlCharacterOrAbsurdLengthIsA400NotAServerError() {
        for (String path : List.of("/orders/%00", "/orders/a%00b/events", "/orders/" + "x".repeat(300), "/orders/%07/cancel",
                "/orders/abc?asOf=%00")) {
            var call = given().urlEncodingEnabled(false);
            (path.endsWith("/cancel") ? call.post(path) : call.get(path)).then()
                    .statusCode(400).contentType("application/problem+json").body("violations", not(empty()));
        }
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> body = order();
        body.put(field, value);
        return body;
    }

    private static void rejects(Map<String, Object> body, String field) {
        given().contentType(ContentType.JSON).body(body).post("/orders").then()
                .statusCode(400).contentType("application/problem+json").body("violations.field", hasItem(field));
    }

    private static long storedEvents() throws Exception {
        try (Connection c = SagaShopTestResources.postgres().adminDataSource("order_db").getConnection();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from events")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
