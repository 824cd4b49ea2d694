package io.sagashop.systemtests;

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

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SystemTests.ROOT.resolve("sagashop").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(SystemTests.ROOT.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("./sagashop " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
