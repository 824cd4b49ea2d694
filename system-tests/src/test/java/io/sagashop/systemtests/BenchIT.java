package io.sagashop.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagashop.devstack.Bench;
import io.sagashop.devstack.BenchResult;
import io.sagashop.devstack.BenchTarget;
import io.sagashop.devstack.Service;
import io.sagashop.devstack.Devstack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The benchmark's report has its documented shape, from a very short run (speed itself is never asserted). */
class BenchIT {

    static Devstack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = Devstack.start(SystemTests.options(Files.createTempDirectory(Path.of("target"), "bench-it-"), 14000, "60s"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aShortRunWritesTheReportWithEveryField() throws Exception {
        Bench.Plan tiny = new Bench.Plan(List.of(5, 10), Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1), 0.1, 0.1, 2);
        BenchResult report = new Bench(stack, tiny).measure();
        Path dir = Files.createTempDirectory(Path.of("target"), "bench-report-");
        Bench.write(dir, report);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("bench-report.json").toFile());
        assertTrue(json.path("max_sustained_sagas_per_s").isNumber());
        assertTrue(json.path("reference_rate").asInt() >= 1);
        for (String p : List.of("p50", "p95", "p99", "max")) {
            assertTrue(json.path("latency_ms").path(p).asDouble() > 0, "latency " + p + ": " + json.path("latency_ms"));
        }
        for (String l : List.of("pg_commits_per_s", "kafka_msgs_per_s", "sagas_per_s_bound", "commits_per_saga", "kafka_msgs_per_saga")) {
            assertTrue(json.path("limits").path(l).asDouble() > 0, "limit " + l + ": " + json.path("limits"));
        }
        assertFalse(json.path("steps").isEmpty());
        assertEquals(8, json.path("processes").size(), "five services, the sandbox, kafka and postgres: " + json.path("processes"));
        for (JsonNode p : json.path("processes")) {
            assertTrue(p.path("cpu_s").asDouble() > 0 && p.path("rss_mb").asDouble() > 0, "measured: " + p);
        }
        String html = Files.readString(dir.resolve("bench-report.html"));
        assertTrue(html.contains("<svg") && html.contains("polyline") && !html.contains("<script"), "a self-contained chart");
        assertTrue(Files.readString(dir.resolve("bench-report.svg")).startsWith("<svg xmlns="), "the chart alone, as an SVG file");
    }

    @Test
    void theRunningStackTargetFindsEveryProcessOfThatStackByItsPorts() {
        // What ./sagashop bench --target measures: the processes of the stack on that port offset, found from outside.
        List<BenchResult.ProcessUsage> found = BenchTarget.running(14000).processes();
        assertEquals(List.of("sandbox", "order", "inventory", "payment", "shipping", "read-model", "kafka", "postgres"),
                found.stream().map(BenchResult.ProcessUsage::name).toList());
        assertEquals(BenchTarget.of(stack).processes().stream().map(BenchResult.ProcessUsage::name).toList(),
                found.stream().map(BenchResult.ProcessUsage::name).toList());
        assertEquals(stack.service(Service.PAYMENT).url(), BenchTarget.running(14000).url(Service.PAYMENT));
        assertTrue(BenchTarget.running(24000).processes().isEmpty(), "nothing runs on another offset");
    }
}
