package io.sagashop.systemtests;

import io.sagashop.devstack.ChildProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Bad usage of {@code ./sagashop} says what is wrong, exits non-zero and starts nothing. */
class SagashopCommandIT {

    record Result(int exitCode, String output) {
    }

    @Test
    void anUnknownCommandPrintsUsageAndFails() throws Exception {
        Result result = run("frobnicate");

        assertEquals(2, result.exitCode());
        assertTrue(result.output().contains("unknown command 'frobnicate'"), result.output());
        assertTrue(result.output().contains("Usage: ./sagashop <command>"), result.output());
    }

    @Test
    void helpPrintsUsageAndSucceeds() throws Exception {
        Result result = run("help");

        assertEquals(0, result.exitCode());
        assertTrue(result.output().contains("infra"), result.output());
    }

    @Test
    void anUnknownOptionFails() throws Exception {
        Result result = run("infra", "--colour", "blue");

        assertEquals(2, result.exitCode());
        assertTrue(result.output().contains("unknown option '--colour'"), result.output());
    }

    @Test
    void tokenPrintsASignedJwtForACustomerOrAnAdminAndSaysWhatIsMissing() throws Exception {
        Result admin = run("token", "--admin", "--key", SystemTests.ROOT.resolve("kubernetes/dev-keys/private.pem").toString());
        assertEquals(0, admin.exitCode(), admin.output());
        String jwt = admin.output().strip();
        assertTrue(jwt.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), jwt);
        String claims = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"groups\":[\"admin\"]") && claims.contains("\"iss\":\"https://sagashop.local\""), claims);

        Result customer = run("token", "--customer", "c-1", "--ttl", "30m", "--key",
                SystemTests.ROOT.resolve("kubernetes/dev-keys/private.pem").toString());
        assertEquals(0, customer.exitCode(), customer.output());
        String customerClaims = new String(java.util.Base64.getUrlDecoder().decode(customer.output().strip().split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(customerClaims.contains("\"sub\":\"c-1\"") && customerClaims.contains("\"groups\":[\"customer\"]"), customerClaims);

        for (List<String> bad : List.of(List.of("token"), List.of("token", "--admin", "--customer", "c-1"),
                List.of("token", "--customer", "no spaces please"), List.of("token", "--admin", "--ttl", "forever"))) {
            Result result = run(bad.toArray(String[]::new));
            assertEquals(2, result.exitCode(), bad + ": " + result.output());
        }
        Result noKey = run("token", "--admin", "--data-dir", Files.createTempDirectory(Path.of("target").toAbsolutePath(), "no-key-").toString());
        assertEquals(1, noKey.exitCode(), noKey.output());
        assertTrue(noKey.output().contains("./sagashop up"), noKey.output());
    }

    @Test
    void aReplicaCountOutOfRangeFails() throws Exception {
        for (String bad : List.of("0", "10", "two")) {
            Result result = run("up", "--replicas", bad);

            assertEquals(2, result.exitCode(), result.output());
            assertTrue(result.output().contains("--replicas takes"), result.output());
        }
        Result chaos = run("chaos", "--replicas", "0");
        assertEquals(2, chaos.exitCode(), chaos.output());
        assertTrue(chaos.output().contains("--replicas takes"), chaos.output());
    }

    @Test
    void aTakenPortIsNamedAndNothingIsStarted() throws Exception {
        int offset = 20000;
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(9092 + offset));

            Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "taken-port-");
            Result result = run("infra", "--port-offset", String.valueOf(offset), "--data-dir", data.toString());

            assertEquals(3, result.exitCode(), result.output());
            assertTrue(result.output().contains("port " + (9092 + offset) + " is already in use"), result.output());
            assertTrue(result.output().contains("nothing was started"), result.output());
            assertFalse(listening(5433 + offset), "PostgreSQL was started");
            assertFalse(listening(8089 + offset), "the sandbox was started");
            try (var files = Files.list(data)) {
                assertEquals(0, files.count(), "the data directory was written to");
            }
        }
    }

    @Test
    void sigtermStopsEverythingInOrderAndLeavesNothingBehind() throws Exception {
        Running infra = startInfra(21000);
        try {
            infra.process().destroy(); // SIGTERM, as from an orchestrator or `kill`

            assertTrue(infra.process().waitFor(60, TimeUnit.SECONDS), "launcher did not stop");
            String output = Files.readString(infra.output());
            assertTrue(output.contains("sagashop: stopped."), output);
            assertFalse(output.contains("unexpectedly"), output);
            assertAllGone(infra);
        } finally {
            infra.cleanUp();
        }
    }

    @Test
    void aCrashedChildTakesTheStackDownAndLeavesNothingBehind() throws Exception {
        Running infra = startInfra(22000);
        try {
            ProcessHandle sandbox = infra.children().stream()
                    .filter(p -> ChildProcess.workingDirectory(p.pid()).endsWith(Path.of("sandbox", "target", "quarkus-app"))) // see ServiceProcess
                    .findFirst().orElseThrow();

            sandbox.destroyForcibly();

            assertTrue(infra.process().waitFor(60, TimeUnit.SECONDS), "launcher did not stop");
            assertEquals(1, infra.process().exitValue());
            String output = Files.readString(infra.output());
            assertTrue(output.contains("sandbox exited unexpectedly"), output);
            assertAllGone(infra);
        } finally {
            infra.cleanUp();
        }
    }

    record Running(Process process, Path output, List<ProcessHandle> children, int offset) {
        /** Whatever a failed assertion left running must not outlive the test. */
        void cleanUp() throws InterruptedException {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** {@code ./sagashop infra} in the background, once it printed that it is ready. */
    private static Running startInfra(int offset) throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "infra-");
        Path output = data.resolveSibling(data.getFileName() + ".out");
        Process process = new ProcessBuilder(SystemTests.ROOT.resolve("sagashop").toString(), "infra",
                "--port-offset", String.valueOf(offset), "--data-dir", data.toString())
                .directory(SystemTests.ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(output).contains("sagashop: ready in")) {
            assertTrue(process.isAlive(), () -> "infra exited: " + read(output));
            assertTrue(System.nanoTime() < deadline, () -> "infra not ready: " + read(output));
            Thread.sleep(200);
        }
        List<ProcessHandle> children = new ArrayList<>(process.toHandle().descendants().toList());
        assertTrue(children.size() >= 2, "Kafka and the sandbox run as children: " + children);
        // pg_ctl detaches the postmaster, so it is found by its pid file rather than as a descendant.
        long postgres = Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim());
        children.add(ProcessHandle.of(postgres).orElseThrow());
        return new Running(process, output, children, offset);
    }

    private static void assertAllGone(Running infra) throws InterruptedException {
        for (ProcessHandle child : infra.children()) {
            // A child killed by the test may stay a zombie for a moment until init reaps it: allow a short grace.
            for (int i = 0; i < 50 && child.isAlive(); i++) {
                Thread.sleep(100);
            }
            assertFalse(child.isAlive(), () -> "left behind: " + child.info().commandLine().orElse(String.valueOf(child.pid())));
        }
        for (int port : List.of(9092, 9093, 5433, 8089)) {
            assertFalse(listening(port + infra.offset()), "port " + (port + infra.offset()) + " still served");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Result run(String... args) throws Exception {
        return run(120, args);
    }

    /** {@code ./sagashop} with these arguments, waited for up to {@code seconds}. */
    static Result run(int seconds, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SystemTests.ROOT.resolve("sagashop").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(SystemTests.ROOT.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("./sagashop " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
