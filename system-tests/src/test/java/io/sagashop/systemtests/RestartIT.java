package io.sagashop.systemtests;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What a user does: {@code ./sagashop up}, Ctrl-C in the terminal, {@code ./sagashop up} again on the same data. The
 * Ctrl-C reaches only the launcher (the children run in process groups of their own), which stops the services before
 * the broker; the restarted services take their partitions back at once, so an order placed right after "ready"
 * completes within seconds instead of stalling until the old consumers' sessions expire.
 */
class RestartIT {

    private static final int OFFSET = 16000;
    /**
     * Far below the stall this guards against (partitions back ~30 s after "ready", which the 30 s deadline turned
     * into a cancelled order), above a cold stack's first order on a slow 2-core machine (8-11 s measured there).
     */
    static final Duration FIRST_ORDER_BOUND = Duration.ofSeconds(15);
    private static final String ORDERS = "http://localhost:" + (8081 + OFFSET);
    private static final String INVENTORY = "http://localhost:" + (8082 + OFFSET);

    @Test
    void aStackStoppedWithCtrlCAndStartedAgainOnItsDataCompletesAnOrderPlacedRightAfterReady() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "restart-it-");
        Process first = up(data, "first");
        SystemTests.actAs(io.sagashop.devstack.auth.Tokens.adminHeader(data)); // the key ./sagashop up made in its data dir
        try {
            given().contentType(ContentType.JSON)
                    .body(Map.of("sku", "RESTART-1", "name", "Mug", "price", new BigDecimal("9.90"), "stock", 100))
                    .post(INVENTORY + "/products").then().statusCode(201);
            awaitCompleted(place(), Duration.ofSeconds(60));
            for (ProcessHandle child : first.descendants().toList()) {
                assertNotEquals(processGroup(first.pid()), processGroup(child.pid()),
                        "a Ctrl-C would reach " + child.info().commandLine().orElse("?") + " directly");
            }

            ctrlC(first);
            String output = Files.readString(data.resolveSibling(data.getFileName() + ".first.out"));
            assertTrue(output.contains("sagashop: stopped."), output);
            assertFalse(output.contains("unexpectedly"), output);
        } finally {
            stop(first);
        }

        Process second = up(data, "second");
        try {
            awaitCompleted(place(), FIRST_ORDER_BOUND);

            // The user's next steps on that stack: the demo to its end, then a look at the dead-letter topics.
            SagashopCommandIT.Result demo = SagashopCommandIT.run(300, "demo", "--port-offset", String.valueOf(OFFSET),
                    "--data-dir", data.toString());
            assertEquals(0, demo.exitCode(), demo.output());
            java.util.regex.Matcher summary = java.util.regex.Pattern.compile("(\\d+) of (\\d+) paths ended as expected").matcher(demo.output());
            assertTrue(summary.find(), demo.output());
            assertEquals(summary.group(2), summary.group(1), demo.output());
            assertFalse(demo.output().contains("Exception"), demo.output());

            SagashopCommandIT.Result dlq = SagashopCommandIT.run(120, "dlq", "--port-offset", String.valueOf(OFFSET),
                    "--data-dir", data.toString());
            assertEquals(0, dlq.exitCode(), dlq.output());
            for (String service : List.of("order", "inventory", "payment", "shipping", "read-model")) {
                assertTrue(dlq.output().contains(service + "-dlq: "), dlq.output());
            }
        } finally {
            stop(second);
        }
    }

    /** {@code ./sagashop up} in a session of its own, as a terminal runs it, once it printed that it is ready. */
    private static Process up(Path data, String run) throws Exception {
        Path output = data.resolveSibling(data.getFileName() + "." + run + ".out");
        Process process = new ProcessBuilder("setsid", SystemTests.ROOT.resolve("sagashop").toString(), "up",
                "--port-offset", String.valueOf(OFFSET), "--data-dir", data.toString())
                .directory(SystemTests.ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.readString(output).contains("sagashop: ready in")) {
            assertTrue(process.isAlive(), () -> "up exited: " + read(output));
            assertTrue(System.nanoTime() < deadline, () -> "not ready: " + read(output));
            Thread.sleep(100);
        }
        return process;
    }

    /** What Ctrl-C in a terminal does: SIGINT to every process of the foreground process group. */
    private static void ctrlC(Process launcher) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + launcher.pid()).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(launcher.waitFor(90, TimeUnit.SECONDS), "the launcher did not stop after Ctrl-C");
    }

    private static void stop(Process launcher) throws InterruptedException {
        if (launcher.isAlive()) {
            launcher.destroy();
            if (!launcher.waitFor(90, TimeUnit.SECONDS)) {
                launcher.descendants().forEach(ProcessHandle::destroyForcibly);
                launcher.destroyForcibly();
            }
        }
    }

    /** The process group of a process (field 5 of /proc/<pid>/stat, after the parenthesised command name). */
    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }

    private static String place() {
        var response = given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(SagaClient.orderBody("RESTART-1", 1, "tok_visa", "DE")).post(ORDERS + "/orders");
        assertEquals(202, response.statusCode(), response.asString());
        return response.jsonPath().getString("orderId");
    }

    private static void awaitCompleted(String orderId, Duration within) {
        long started = System.nanoTime();
        await(orderId + " COMPLETED").atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            String status = given().get(ORDERS + "/orders/" + orderId).jsonPath().getString("status");
            assertNotEquals("CANCELLED", status, orderId + " was cancelled");
            return "COMPLETED".equals(status);
        });
        System.out.printf("RestartIT: %s completed %d ms after it was placed%n", orderId, (System.nanoTime() - started) / 1_000_000);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
