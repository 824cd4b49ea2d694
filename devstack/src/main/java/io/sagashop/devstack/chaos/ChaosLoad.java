package io.sagashop.devstack.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop orders, as clients that retry: each order is sent at its time whatever the stack is doing, and a request
 * that fails (no answer, 5xx) is sent again with the same Idempotency-Key until it is accepted, so a fault never
 * loses or duplicates an order. Some clients send their request twice on purpose, some cancel after a while.
 */
final class ChaosLoad {

    /** What an order is meant to test; only PLAIN orders count for goodput (nothing in them asks for a cancel). */
    enum Kind { PLAIN, DECLINED, REJECTED_ADDRESS, CUSTOMER_CANCEL, DUPLICATE_REQUEST }

    record Placed(String orderId, Kind kind, long placedAtMillis) {
    }

    static final List<String> SKUS = List.of("CHAOS-1", "CHAOS-2", "CHAOS-3", "CHAOS-4", "CHAOS-5");
    static final int STOCK = 1_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GIVE_UP = Duration.ofMinutes(3);

    /** The orders endpoint of every order instance: a retry goes to the next one, as behind a load balancer. */
    private final List<String> ordersUrls;
    /** An admin's: the clients place orders for many customers. */
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Random random;
    private final Map<String, Placed> placed = new ConcurrentHashMap<>();
    private final AtomicInteger lost = new AtomicInteger();
    private final AtomicInteger duplicateMismatches = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final ExecutorService clients = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chaos-client");
        t.setDaemon(true);
        return t;
    });

    ChaosLoad(List<String> ordersUrls, String authorization, long seed) {
        this.ordersUrls = List.copyOf(ordersUrls);
        this.authorization = authorization;
        this.random = new Random(seed);
    }

    /** Sends {@code orders} orders at {@code rate} per second and returns once every one has an answer (or was given up). */
    void run(int orders, double rate, long startedAtNanos, java.util.function.IntConsumer progress) throws InterruptedException {
        for (int n = 0; n < orders; n++) {
            long due = startedAtNanos + (long) (n * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Kind kind = pick();
            String sku = SKUS.get(random.nextInt(SKUS.size()));
            long cancelAfterMs = 200 + random.nextInt(3000);
            clients.submit(() -> client(kind, sku, cancelAfterMs));
            if (n % 50 == 0) {
                progress.accept(n);
            }
        }
        clients.shutdown();
        clients.awaitTermination(GIVE_UP.toMinutes() + 2, TimeUnit.MINUTES);
    }

    private Kind pick() {
        int p = random.nextInt(100);
        return p < 70 ? Kind.PLAIN : p < 78 ? Kind.DECLINED : p < 85 ? Kind.REJECTED_ADDRESS : p < 95 ? Kind.CUSTOMER_CANCEL
                : Kind.DUPLICATE_REQUEST;
    }

    private void client(Kind kind, String sku, long cancelAfterMs) {
        String key = UUID.randomUUID().toString();
        String body = "{\"customerId\":\"chaos-" + Math.abs(key.hashCode() % 100) + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}],"
                + "\"paymentToken\":\"" + (kind == Kind.DECLINED ? "tok_decline" : "tok_visa") + "\",\"shippingAddress\":{"
                + "\"name\":\"Chaos\",\"street\":\"1 Main St\",\"city\":\"Springfield\",\"postalCode\":\"12345\",\"country\":\""
                + (kind == Kind.REJECTED_ADDRESS ? "XX" : "DE") + "\"}}";
        int instance = Math.floorMod(key.hashCode(), ordersUrls.size());
        String orderId = place(key, body, instance);
        if (orderId == null) {
            lost.incrementAndGet();
            return;
        }
        placed.put(orderId, new Placed(orderId, kind, System.currentTimeMillis()));
        // The repeat goes to another instance when there is one: the key is shared through the database.
        if (kind == Kind.DUPLICATE_REQUEST && !orderId.equals(place(key, body, instance + 1))) {
            duplicateMismatches.incrementAndGet();
        }
        if (kind == Kind.CUSTOMER_CANCEL) {
            try {
                Thread.sleep(cancelAfterMs);
                send(HttpRequest.newBuilder(URI.create(url(instance) + "/" + orderId + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String url(int instance) {
        return ordersUrls.get(Math.floorMod(instance, ordersUrls.size()));
    }

    /** POSTs the order until it is accepted, each retry to the next instance; the order id, or null when given up. */
    private String place(String key, String body, int firstInstance) {
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        long backoff = 100;
        for (int attempt = 0; System.nanoTime() < giveUp; attempt++) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url(firstInstance + attempt))).header("content-type", "application/json")
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)));
            if (r != null && r.statusCode() == 202) {
                try {
                    return JSON.readTree(r.body()).path("orderId").asText();
                } catch (Exception e) {
                    return null;
                }
            }
            if (r != null && r.statusCode() / 100 == 4) {
                return null; // a client mistake: not a fault to ride out
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            backoff = Math.min(2000, backoff * 2);
        }
        return null;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).header("Authorization", authorization).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    Map<String, Placed> placed() {
        return placed;
    }

    int lost() {
        return lost.get();
    }

    int duplicateMismatches() {
        return duplicateMismatches.get();
    }

    int retries() {
        return retries.get();
    }
}
