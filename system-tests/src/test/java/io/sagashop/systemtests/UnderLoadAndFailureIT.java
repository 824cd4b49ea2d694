package io.sagashop.systemtests;

import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The saga under a crowd and under crashes: a participant killed with -9 mid-run, the broker killed mid-run. The
 * deadline is a realistic 60 s here (a freshly started JVM on a small machine is slow for its first hundreds of
 * orders); whatever happens, the invariants must hold once every order is terminal.
 */
class UnderLoadAndFailureIT {

    static Devstack stack;
    static SagaClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = Devstack.start(SystemTests.options(Files.createTempDirectory(Path.of("target"), "failure-it-"), 12000, "60s"));
        client = new SagaClient(stack);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCrowdRacingForFiftyUnitsGetsExactlyFifty() throws Exception {
        client.product("HOT-1", "Limited sneaker", "120.00", 50);

        List<String> ids = placeConcurrently("HOT-1", 200, i -> new String[]{"tok_visa", "DE"}, () -> {
        });
        client.awaitTerminal(ids, Duration.ofSeconds(120));

        Map<String, Integer> outcomes = new TreeMap<>();
        for (String id : ids) {
            var order = client.order(id);
            outcomes.merge(order.getString("status") + "/" + order.getString("failureReason"), 1, Integer::sum);
        }
        assertEquals(Map.of("COMPLETED/null", 50, "CANCELLED/OUT_OF_STOCK", 150), outcomes);
        var product = client.productOf("HOT-1");
        assertEquals(0, product.getInt("available"));
        assertEquals(0, product.getInt("reserved"));
        assertEquals(50, product.getInt("sold"));
        Invariants.check(client, ids, Map.of("HOT-1", 50));
    }

    @Test
    void everyServiceKilledWithMinus9IsBackToWorkAsSoonAsItIsReady() throws Exception {
        // A restarted instance is the same static group member: it takes its partitions back at once instead of
        // waiting for its dead predecessor's session to expire, and it is not ready before it has them.
        client.product("REVIVE-1", "Mug", "9.90", 100);
        client.awaitTerminal(List.of(client.place("REVIVE-1", 1, "tok_visa", "DE")), Duration.ofSeconds(60));
        for (Service service : Service.SAGA_SERVICES) {
            stack.service(service).kill();
            stack.startServices(List.of(service));
            System.out.printf("%s killed with -9: ready again %d ms after its restart%n", service,
                    stack.service(service).lastStartup().toMillis());
            assertStaticMember(service.module());

            long placed = System.nanoTime();
            String id = client.place("REVIVE-1", 1, "tok_visa", "DE");
            client.awaitStatus(id, "COMPLETED", RestartIT.FIRST_ORDER_BOUND);
            System.out.printf("%s killed with -9: the next order completed in %d ms%n", service, (System.nanoTime() - placed) / 1_000_000);
            if (service == Service.READ_MODEL) {
                org.awaitility.Awaitility.await("the view of " + id).atMost(RestartIT.FIRST_ORDER_BOUND).until(() ->
                        io.restassured.RestAssured.given().get(client.url(Service.READ_MODEL) + "/views/orders/" + id).statusCode() == 200);
            }
        }
    }

    /** The restarted instance took its predecessor's place in the group under the same instance id: no rebalance. */
    private static void assertStaticMember(String group) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", stack.broker().bootstrapServers()))) {
            var description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(Optional.of(group + "-0")), description.members().stream().map(m -> m.groupInstanceId()).toList(),
                    group + " members: " + description.members());
        }
    }

    @Test
    void killingPaymentMidRunLosesNothingAndChargesNothingTwice() throws Exception {
        client.product("KILL-1", "Kettle", "30.00", 200);

        List<String> ids = placeConcurrently("KILL-1", 40, UnderLoadAndFailureIT::mix, () -> stack.service(Service.PAYMENT).kill());
        Thread.sleep(2000);
        stack.startServices(List.of(Service.PAYMENT));

        client.awaitTerminal(ids, Duration.ofSeconds(120));
        Invariants.check(client, ids, Map.of("KILL-1", 200));
        assertTrue(ids.stream().anyMatch(id -> client.status(id).equals("COMPLETED")), "the saga went on after the restart");
    }

    @Test
    void killingTheBrokerMidRunLosesNothing() throws Exception {
        client.product("BRK-1", "Blanket", "45.00", 200);

        List<String> ids = placeConcurrently("BRK-1", 40, UnderLoadAndFailureIT::mix, () -> stack.broker().kill());
        Thread.sleep(2000);
        stack.broker().start(Duration.ofSeconds(60));

        client.awaitTerminal(ids, Duration.ofSeconds(150));
        Invariants.check(client, ids, Map.of("BRK-1", 200));
        assertTrue(ids.stream().anyMatch(id -> client.status(id).equals("COMPLETED")), "the saga went on after the restart");
        for (Service s : Service.SAGA_SERVICES) {
            assertEquals(200, stack.service(s).health("ready"), s + " ready again");
        }
    }

    /** Mostly happy orders, some declined and some the carrier rejects: compensation runs through the crash too. */
    private static String[] mix(int i) {
        return switch (i % 8) {
            case 3 -> new String[]{"tok_decline", "DE"};
            case 6 -> new String[]{"tok_visa", "XX"};
            default -> new String[]{"tok_visa", "DE"};
        };
    }

    /** Places {@code n} orders of one unit from 16 threads; {@code crash} runs once a quarter of them were accepted. */
    private static List<String> placeConcurrently(String sku, int n, IntFunction<String[]> tokenAndCountry, Runnable crash)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> placed = new ArrayList<>();
            CountDownLatch quarter = new CountDownLatch(n / 4);
            for (int i = 0; i < n; i++) {
                String[] shape = tokenAndCountry.apply(i);
                placed.add(pool.submit(() -> {
                    String id = client.place(sku, 1, shape[0], shape[1]);
                    quarter.countDown();
                    return id;
                }));
            }
            assertTrue(quarter.await(60, TimeUnit.SECONDS));
            crash.run();
            List<String> ids = new ArrayList<>();
            for (Future<String> f : placed) {
                ids.add(f.get(60, TimeUnit.SECONDS));
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }
}
