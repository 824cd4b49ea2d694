package io.sagashop.order;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sagashop.testing.SagaShopTestResources;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what on the order API: a customer places orders as themselves and sees and cancels only their own (another
 * customer's order is a 404, as if it did not exist); an admin acts for anyone; no token or a bad one is a 401 problem.
 */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class IdentityTest {

    @TestHTTPResource("/orders")
    URL orders;

    static String bearer(String customer) {
        return "Bearer " + SagaShopTestResources.token(customer);
    }

    static Map<String, Object> order(String customerId) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "items", List.of(Map.of("sku", "MUG", "quantity", 1)), "paymentToken", "tok_visa",
                "shippingAddress", Map.of("name", "Ada", "street", "1 Main St", "city", "Springfield", "postalCode", "12345", "country", "DE")));
        if (customerId != null) {
            body.put("customerId", customerId);
        }
        return body;
    }

    @Test
    void aCustomerPlacesAsThemselvesAndSeesAndCancelsOnlyTheirOwnOrders() {
        String mine = given().header("Authorization", bearer("c-alice")).contentType(ContentType.JSON).body(order(null))
                .post("/orders").then().statusCode(202).extract().path("orderId");
        given().header("Authorization", bearer("c-alice")).get("/orders/" + mine).then().statusCode(200).body("customerId", is("c-alice"));
        given().header("Authorization", bearer("c-alice")).get("/orders/" + mine + "/events").then().statusCode(200);

        for (String path : List.of("/orders/" + mine, "/orders/" + mine + "/events", "/orders/" + mine + "?asOf=2999-01-01T00:00:00Z")) {
            given().header("Authorization", bearer("c-bob")).get(path).then()
                    .statusCode(404).contentType("application/problem+json");
        }
        given().header("Authorization", bearer("c-bob")).post("/orders/" + mine + "/cancel").then().statusCode(404);
        given().header("Authorization", bearer("c-alice")).get("/orders/" + mine).then().body("status", not(is("CANCELLING")));

        // An admin sees and acts for anyone.
        given().get("/orders/" + mine).then().statusCode(200);
        given().post("/orders/" + mine + "/cancel").then().statusCode(202);
    }

    @Test
    void aCustomerCannotPlaceForSomeoneElseAndAnAdminMustNameTheCustomer() {
        given().header("Authorization", bearer("c-alice")).contentType(ContentType.JSON).body(order("c-bob"))
                .post("/orders").then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", bearer("c-alice")).contentType(ContentType.JSON).body(order("c-alice"))
                .post("/orders").then().statusCode(202);
        given().contentType(ContentType.JSON).body(order(null)).post("/orders").then()
                .statusCode(400).body("violations.field", hasItem("customerId"));
        String forBob = given().contentType(ContentType.JSON).body(order("c-bob")).post("/orders").then().statusCode(202)
                .extract().path("orderId");
        given().header("Authorization", bearer("c-bob")).get("/orders/" + forBob).then().statusCode(200);
    }

    @Test
    void noTokenABadTokenOrAnUnknownRoleIsRefusedWithAProblem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(orders + "/x")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"), none.headers().toString());
        assertEquals("Bearer", none.headers().firstValue("www-authenticate").orElse(""));

        String token = SagaShopTestResources.token("c-alice");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        given().header("Authorization", "Bearer " + forged).get("/orders/x").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer not-a-jwt").get("/orders/x").then().statusCode(401);

        String stranger = "Bearer " + io.sagashop.devstack.auth.Tokens.sign(keyOfThisJvm(), "c-eve", List.of("guest"), java.time.Duration.ofMinutes(5));
        given().header("Authorization", stranger).get("/orders/x").then().statusCode(403).contentType("application/problem+json");

        // Health stays open.
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(orders.toString().replace("/orders", "/q/health/live")))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }

    private static java.security.PrivateKey keyOfThisJvm() {
        return SagaShopTestResources.signingKey();
    }
}
