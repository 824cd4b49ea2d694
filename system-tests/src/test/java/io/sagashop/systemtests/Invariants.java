package io.sagashop.systemtests;

import io.restassured.path.json.JsonPath;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The invariants of docs/invariants.md, checked across every service and against the external providers' own books
 * (the sandbox), once every order is terminal.
 */
final class Invariants {

    private Invariants() {
    }

    /**
     * @param received per SKU: initial stock plus every restock (SKUs used only by these orders)
     */
    static void check(SagaClient client, Collection<String> orderIds, Map<String, Integer> received) {
        Map<String, Integer> soldByOrders = new HashMap<>();
        for (String id : orderIds) {
            JsonPath order = client.order(id);
            String status = order.getString("status");
            assertTrue(SagaClient.TERMINAL.contains(status), "1. order " + id + " is terminal, but " + status);
            JsonPath payment = client.payment(id);
            JsonPath shipment = client.shipment(id);
            JsonPath ledger = client.ledger(id);
            List<Map<String, Object>> bookings = client.bookings(id);
            if (status.equals("COMPLETED")) {
                BigDecimal total = new BigDecimal(order.getString("total"));
                assertNotNull(payment, "3. completed order " + id + " has a payment");
                assertEquals("CAPTURED", payment.getString("status"), "3. " + id);
                assertEquals(0, total.compareTo(new BigDecimal(payment.getString("capturedAmount"))), "3. captured = total " + id);
                assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(payment.getString("refundedAmount"))), "3. no refund " + id);
                assertEquals(1, ledger.getList("charges").size(), "3. exactly one charge at the provider " + id);
                assertEquals(0, total.compareTo(net(ledger)), "3. provider holds exactly the total " + id);
                assertNotNull(shipment, "3. completed order " + id + " has a shipment");
                assertEquals("SCHEDULED", shipment.getString("status"), "3. " + id);
                assertEquals(1, bookings.stream().filter(b -> "BOOKED".equals(b.get("status"))).count(), "3. one booking " + id);
                for (Map<String, Object> item : order.<Map<String, Object>>getList("items")) {
                    soldByOrders.merge((String) item.get("sku"), ((Number) item.get("quantity")).intValue(), Integer::sum);
                }
            } else {
                if (payment != null) {
                    assertEquals(0, new BigDecimal(payment.getString("capturedAmount"))
                            .compareTo(new BigDecimal(payment.getString("refundedAmount"))), "4. captured = refunded " + id);
                }
                assertEquals(0, BigDecimal.ZERO.compareTo(net(ledger)), "4. the provider holds nothing for " + id);
                assertTrue(ledger.getList("charges").size() <= 1, "4. at most one charge at the provider for " + id);
                assertTrue(shipment == null || !shipment.getString("status").equals("SCHEDULED"), "4. no scheduled shipment " + id);
                assertEquals(0, bookings.stream().filter(b -> "BOOKED".equals(b.get("status"))).count(), "4. no live booking " + id);
            }
        }
        readModelConverges(client, orderIds);
        received.forEach((sku, units) -> {
            JsonPath product = client.productOf(sku);
            int available = product.getInt("available");
            int reserved = product.getInt("reserved");
            int sold = product.getInt("sold");
            assertEquals(units, available + reserved + sold, "2. stock of " + sku + " is conserved");
            assertEquals(0, reserved, "2. nothing stays reserved for " + sku);
            assertEquals(soldByOrders.getOrDefault(sku, 0), sold, "2. sold " + sku + " = units of completed orders");
        });
    }

    /** 6. Within seconds, every order's document in the read model says what the write sides say. */
    static void readModelConverges(SagaClient client, Collection<String> orderIds) {
        // The bound is on convergence: a pass that starts within it may finish after it. (Reading four resources for each
        // of 200 orders took more than 30 s on a slow machine, and an await with atMost cut that pass off: not the read
        // model's doing.)
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                documentsAgree(client, orderIds);
                return;
            } catch (AssertionError disagreement) {
                if (System.nanoTime() > deadline) {
                    throw disagreement;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the read model", e);
            }
        }
    }

    private static void documentsAgree(SagaClient client, Collection<String> orderIds) {
        for (String id : orderIds) {
            JsonPath order = client.order(id);
            JsonPath doc = client.view(id);
            assertNotNull(doc, "6. document of " + id);
            assertEquals(order.getString("status"), doc.getString("status"), "6. status of " + id);
            assertEquals(order.getString("failureReason"), doc.getString("failureReason"), "6. reason of " + id);
            assertEquals(order.getLong("version"), doc.getLong("lastSequence"), "6. version of " + id);
            assertSameAmount(order.getString("total"), doc.getString("total"), "6. total of " + id);
            JsonPath payment = client.payment(id);
            assertEquals(payment == null ? null : payment.getString("status"), doc.getString("payment.status"),
                    "6. payment status of " + id);
            if (payment != null) {
                assertSameAmount(payment.getString("capturedAmount"), doc.getString("payment.capturedAmount"), "6. captured of " + id);
                assertSameAmount(payment.getString("refundedAmount"), doc.getString("payment.refundedAmount"), "6. refunded of " + id);
            }
            JsonPath shipment = client.shipment(id);
            assertEquals(shipment == null ? null : shipment.getString("status"), doc.getString("shipment.status"),
                    "6. shipment status of " + id);
            if (shipment != null) {
                assertEquals(shipment.getString("trackingNumber"), doc.getString("shipment.trackingNumber"), "6. tracking of " + id);
            }
        }
    }

    private static void assertSameAmount(String expected, String actual, String what) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, what);
        } else {
            assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual)), what + ": " + expected + " vs " + actual);
        }
    }

    /** Money the provider still holds for an order: every charge minus what was refunded or voided of it. */
    static BigDecimal net(JsonPath ledger) {
        BigDecimal net = BigDecimal.ZERO;
        for (Map<String, Object> charge : ledger.<Map<String, Object>>getList("charges")) {
            net = net.add(new BigDecimal(charge.get("amount").toString())).subtract(new BigDecimal(charge.get("refunded").toString()));
        }
        return net;
    }
}
