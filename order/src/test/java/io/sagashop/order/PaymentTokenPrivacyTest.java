package io.sagashop.order;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.PaymentTokenSeal;
import io.sagashop.contracts.Topics;
import io.sagashop.testing.SagaShopTestResources;
import io.sagashop.testing.TestEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/** The payment token reaches no event, topic or history in clear: people see it masked, payment opens it sealed. */
@QuarkusTest
@WithTestResource(SagaShopTestResources.class)
class PaymentTokenPrivacyTest {

    @Test
    void theTokenIsSealedForItsOrderInTheEventStoreAndOnTheTopicAndMaskedInTheHistory() throws Exception {
        String token = "tok_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> order = OrderApiTest.order();
        order.put("paymentToken", token);
        String id = given().contentType(ContentType.JSON).body(order).post("/orders").then().statusCode(202)
                .extract().path("orderId");

        String history = given().get("/orders/" + id + "/events").then().statusCode(200)
                .body("[0].data.paymentMethod", is(PaymentTokenSeal.mask(token)))
                .body("[0].data", not(hasKey("sealedPaymentToken")))
                .body("[0].data", not(hasKey("paymentToken")))
                .extract().asString();
        assertFalse(history.contains(token), history);

        String stored = storedPayload(id);
        assertFalse(stored.contains(token), stored);
        List<ConsumerRecord<String, String>> published = TestEvents.awaitRecords(Topics.ORDER_EVENTS, id, 1, Duration.ofSeconds(20));
        assertFalse(published.get(0).value().contains(token), published.get(0).value());

        String sealed = EventCodec.mapper().readTree(stored).path("sealedPaymentToken").asText();
        PaymentTokenSeal seal = SagaShopTestResources.paymentTokenSeal();
        assertEquals(token, seal.open(id, sealed));
        assertThrows(PaymentTokenSeal.Unreadable.class, () -> seal.open(UUID.randomUUID().toString(), sealed),
                "a sealed token is bound to its order");
    }

    private static String storedPayload(String orderId) throws Exception {
        try (Connection c = SagaShopTestResources.postgres().adminDataSource("order_db").getConnection();
             PreparedStatement s = c.prepareStatement("select payload::text from events where stream_id = ? and type = 'OrderPlaced'")) {
            s.setString(1, orderId);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "OrderPlaced is stored");
                return rs.getString(1);
            }
        }
    }
}
