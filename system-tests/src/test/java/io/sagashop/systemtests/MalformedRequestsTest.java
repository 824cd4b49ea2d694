package io.sagashop.systemtests;

import io.sagashop.devstack.Service;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The generated bad-input suite covers what it claims: every endpoint that takes input, and every kind of mutation. */
class MalformedRequestsTest {

    final List<MalformedRequests.Request> requests = new MalformedRequests(7).generate(600);

    @Test
    void sixHundredRequestsOverEveryServiceThatTakesInput() {
        assertEquals(600, requests.size());
        assertEquals(Set.of(Service.ORDER, Service.INVENTORY, Service.PAYMENT, Service.SHIPPING, Service.READ_MODEL),
                requests.stream().map(MalformedRequests.Request::service).collect(Collectors.toSet()));
    }

    @Test
    void everyKindOfMutationIsThere() {
        assertTrue(requests.stream().anyMatch(r -> r.body() != null && r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64 * 1024),
                "a body over the limit");
        assertTrue(requests.stream().anyMatch(r -> r.body() != null && r.body().contains("\\u0000")), "a NUL in a JSON string");
        assertTrue(requests.stream().anyMatch(r -> r.path().contains("%00") && !r.path().contains("?")), "a NUL in a path id");
        assertTrue(requests.stream().anyMatch(r -> r.path().contains("?") && r.path().contains("%00")), "a NUL in a query");
        assertTrue(requests.stream().anyMatch(r -> "text/plain".equals(r.contentType())), "a wrong content type");
        assertTrue(requests.stream().anyMatch(r -> r.what().matches(".*quantity = (1\\.5|1\\.0E-4)")), "a fraction for a count");
        assertTrue(requests.stream().anyMatch(r -> r.what().matches("(customerId|email|paymentToken|shippingAddress\\.\\w+|items\\[0]\\.sku|sku|name) = (true|false|42|1\\.5)")),
                "a number or boolean for text");
        assertTrue(requests.stream().anyMatch(r -> r.path().endsWith("/restock")), "restock");
    }
}
