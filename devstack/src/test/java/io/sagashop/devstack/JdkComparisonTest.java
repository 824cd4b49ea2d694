package io.sagashop.devstack;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JdkComparisonTest {

    @Test
    void theTablePutsTheJdksSideBySideRowByRow() {
        Map<String, Double> ready17 = new LinkedHashMap<>();
        ready17.put("order", 14.2);
        ready17.put("payment", null); // not known
        Map<String, Double> ready25 = new LinkedHashMap<>();
        ready25.put("order", 6.1);
        ready25.put("payment", 5.9);
        var plan = JdkComparison.Plan.full(25);
        String table = JdkComparison.table(List.of(
                new JdkComparison.Side("JDK 17 with AppCDS (/usr/lib/jvm/java-17)", 20.5, ready17, 201, 230, 260, 300,
                        new Bench.Window(25, 1200, 20.0, 180, 2400, 1200), new Bench.Window(25, 1500, 25.0, 60, 240, 1500), 80, 95.5, 40.2),
                new JdkComparison.Side("JDK 25 with an AOT cache per service (/usr/lib/jvm/temurin-25)", 9.8, ready25, 150, 170, 210, 240,
                        new Bench.Window(25, 1450, 24.2, 90, 900, 1450), new Bench.Window(25, 1500, 25.0, 55, 220, 1500), 96.8, 60.1, 38.7),
                new JdkComparison.Side("JDK 25 with an AOT cache per service (/usr/lib/jvm/temurin-25) -XX:+UseCompactObjectHeaders",
                        9.9, ready25, 140, 160, 200, 230, new Bench.Window(25, 1450, 24.2, 90, 900, 1450),
                        new Bench.Window(25, 1500, 25.0, 55, 220, 1500), 96.8, 60.1, 38.7)),
                plan);

        List<String> lines = table.lines().toList();
        assertTrue(lines.get(2).contains("JDK 17 with AppCDS") && lines.get(2).contains("JDK 25 with an AOT cache per service"),
                "the JDKs head the columns, without their directories: " + lines.get(2));
        assertFalse(table.contains("/usr/lib/jvm"));
        assertTrue(lines.get(2).contains("JDK 25 with an AOT cache per service -XX:+UseCompactObjectHeaders"), "options stay in the head");
        assertTrue(table.contains("order ready (s)") && table.contains("14.2") && table.contains("6.1"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("payment ready (s)") && l.contains("-") && l.contains("5.9")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("first minute: done/s, p99") && l.contains("20.0, 2400 ms") && l.contains("24.2, 900 ms")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("first minute / warm (%)") && l.contains("80.0") && l.contains("96.8")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("CPU per order, warm (ms)") && l.contains("40.2") && l.contains("38.7")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("RSS idle, mean/max (MB)") && l.contains("201.0 / 230.0") && l.contains("150.0 / 170.0")));
    }
}
