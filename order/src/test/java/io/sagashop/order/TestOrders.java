package io.sagashop.order;

import io.restassured.http.ContentType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Places orders through the API for the order service's tests. */
final class TestOrders {

    private TestOrders() {
    }

    /** A valid order (2 × MUG, approved card); returns its id. */
    static String place(String email) {
        Map<String, Object> body = new HashMap<>(Map.of("customerId", "c-1",
                "items", List.of(Map.of("sku", "MUG", "quantity", 2)), "paymentToken", "tok_visa",
                "shippingAddress", Map.of("name", "Ada", "street", "1 Main St", "city", "Springfield",
                        "postalCode", "12345", "country", "DE")));
        if (email != null) {
            body.put("email", email);
        }
        return given().contentType(ContentType.JSON).body(body).post("/orders").then().statusCode(202).extract().path("orderId");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
