package io.sagashop.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./sagashop bench --jdk 17,25}: the same fresh stack on each JDK, one after the other in one run, so that the
 * figures compare: each service's time to ready, its memory idle and under load, the orders completed in the first
 * minute (no warm-up) next to a minute after warming up, and the services' CPU per order. A JDK from 25 on runs with
 * its AOT cache; when the cache is not trained for this build and these options, a training stack runs first (not
 * measured). An entry may add JVM options after a colon, e.g. {@code 25:-XX:+UseCompactObjectHeaders}.
 */
public final class JdkComparison {

    /** How long each part lasts; {@link #full} and {@link #quick} are the two documented modes. */
    public record Plan(int rate, Duration minute, Duration warmUp, Duration training) {
        /** The plan as the report shows it, in seconds. */
        Map<String, Object> summary() {
            return Map.of("rate", rate, "window_s", minute.toSeconds(), "warm_up_s", warmUp.toSeconds());
        }

        static Plan full(int rate) {
            return new Plan(rate, Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(60));
        }

        static Plan quick(int rate) {
            return new Plan(rate, Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30));
        }
    }

    /** One JDK's figures. Memory in MB per service (mean and largest), CPU in milliseconds per completed order. */
    public record Side(String jdk, double stackReadyS, Map<String, Double> serviceReadyS, double idleRssMeanMb,
                       double idleRssMaxMb, double loadRssMeanMb, double loadRssMaxMb, Bench.Window firstMinute,
                       Bench.Window warm, double firstMinuteShareOfWarm, double cpuMsPerOrderFirstMinute,
                       double cpuMsPerOrderWarm) {
    }

    private JdkComparison() {
    }

    static int run(Path root, List<String> jdks, Plan plan) {
        Path launcherHome = Path.of(System.getProperty("java.home"));
        List<ServiceJvm> jvms = new ArrayList<>();
        List<String> extraOptions = new ArrayList<>();
        try {
            for (String entry : jdks) {
                int colon = entry.indexOf(':');
                jvms.add(ServiceJvm.find(colon < 0 ? entry : entry.substring(0, colon), launcherHome));
                extraOptions.add(colon < 0 ? "" : entry.substring(colon + 1).strip());
            }
        } catch (IllegalArgumentException e) {
            System.err.println("sagashop: bench --jdk: " + e.getMessage());
            return 2;
        }
        List<Side> sides = new ArrayList<>();
        try {
            for (int i = 0; i < jvms.size(); i++) {
                System.out.println("sagashop bench --jdk: " + jvms.get(i) + " " + extraOptions.get(i));
                sides.add(measure(root, jvms.get(i), extraOptions.get(i), plan));
            }
        } catch (Exception e) {
            System.err.println("sagashop: bench --jdk failed: " + e);
            return 1;
        }
        System.out.println(table(sides, plan));
        try {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("plan", plan.summary());
            report.put("jdks", sides);
            report.put("cpus", Runtime.getRuntime().availableProcessors());
            Files.writeString(root.resolve("bench-jdk-report.json"), Bench.JSON.writeValueAsString(report));
            System.out.println("report: bench-jdk-report.json");
        } catch (IOException e) {
            System.err.println("sagashop: cannot write bench-jdk-report.json: " + e);
            return 1;
        }
        return 0;
    }

    private static Devstack stack(Path root, ServiceJvm jvm, String extraOptions) {
        Devstack.Options defaults = Devstack.Options.defaults(root);
        return Devstack.create(defaults.dataDir(root.resolve("target/bench-data")).fresh(true)
                .portOffset(Bench.PORT_OFFSET).serviceEnv(Map.of("SAGASHOP_SAGA_DEADLINE", "120s",
                        "SAGASHOP_SERVICE_JAVA_HOME", jvm.home().toString()))
                .serviceJavaOptions((defaults.serviceJavaOptions() + " " + extraOptions).strip()));
    }

    private static Side measure(Path root, ServiceJvm jvm, String extraOptions, Plan plan) throws Exception {
        if (jvm.aot()) {
            train(root, jvm, extraOptions, plan);
        }
        try (Devstack stack = stack(root, jvm, extraOptions)) {
            long launching = System.nanoTime();
            stack.launch();
            double stackReady = (System.nanoTime() - launching) / 1e9;
            Map<String, Double> ready = new LinkedHashMap<>();
            for (ServiceProcess s : stack.services()) {
                ready.put(s.name(), s.lastStartup() == null ? null : Bench.round(s.lastStartup().toMillis() / 1000.0));
            }
            Bench bench = new Bench(stack, mix(plan));
            bench.begin();
            Thread.sleep(5000);
            double[] idle = rss(stack);

            double cpuBefore = cpu(stack);
            Bench.Window first = bench.measure(plan.rate(), plan.minute(), "first minute");
            double cpuFirst = cpu(stack) - cpuBefore;
            bench.measure(plan.rate(), plan.warmUp(), "warm-up");
            cpuBefore = cpu(stack);
            Bench.Window warm = bench.measure(plan.rate(), plan.minute(), "warm");
            double cpuWarm = cpu(stack) - cpuBefore;
            double[] load = rss(stack);
            bench.end();
            return new Side((jvm + " " + extraOptions).strip(), Bench.round(stackReady), ready, idle[0], idle[1], load[0], load[1], first, warm,
                    warm.completedPerS() == 0 ? 0 : Bench.round(100 * first.completedPerS() / warm.completedPerS()),
                    perOrder(cpuFirst, first), perOrder(cpuWarm, warm));
        }
    }

    /** A stack whose services train their AOT caches on a short load; they write them as they stop. */
    private static void train(Path root, ServiceJvm jvm, String extraOptions, Plan plan) throws Exception {
        try (Devstack stack = stack(root, jvm, extraOptions)) {
            stack.launch();
            if (stack.services().stream().noneMatch(ServiceProcess::training)) {
                return;
            }
            System.out.println("sagashop bench --jdk: training the services' AOT caches first (not measured) ...");
            Bench bench = new Bench(stack, mix(plan));
            bench.begin();
            bench.measure(plan.rate(), plan.training(), "training");
            bench.end();
        }
    }

    /** The bench's usual mix of orders (5 % declined, 5 % to an address the carrier refuses), at the plan's rate. */
    private static Bench.Plan mix(Plan plan) {
        return new Bench.Plan(List.of(plan.rate()), plan.minute(), plan.minute(), Duration.ofSeconds(3), 0.05, 0.05, 8);
    }

    private static double perOrder(double cpuSeconds, Bench.Window w) {
        return w.ended() == 0 ? 0 : Bench.round(1000 * cpuSeconds / w.ended());
    }

    /** CPU seconds the saga services used so far. */
    private static double cpu(Devstack stack) {
        return stack.services().stream().filter(s -> s.service() != Service.SANDBOX)
                .mapToDouble(s -> Bench.cpuSeconds(s.process().pid())).sum();
    }

    /** The saga services' resident memory now: mean and largest, in MB. */
    private static double[] rss(Devstack stack) {
        DoubleSummaryStatistics mb = stack.services().stream().filter(s -> s.service() != Service.SANDBOX)
                .mapToDouble(s -> Bench.rssMb(s.process().pid())).summaryStatistics();
        return new double[]{Bench.round(mb.getCount() == 0 ? 0 : mb.getAverage()), mb.getCount() == 0 ? 0 : mb.getMax()};
    }

    static String table(List<Side> sides, Plan plan) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%nJDKs side by side (one run, %d orders/s; %d s windows)%n",
                plan.rate(), plan.minute().toSeconds()));
        List<String> heads = sides.stream().map(s -> s.jdk().replaceAll(" \\([^)]*\\)", "")).toList();
        int width = Math.max(24, heads.stream().mapToInt(String::length).max().orElse(0) + 2);
        row(t, width, "", heads);
        row(t, width, "stack ready (s)", sides.stream().map(s -> fmt(s.stackReadyS())).toList());
        for (String service : sides.get(0).serviceReadyS().keySet()) {
            row(t, width, "  " + service + " ready (s)", sides.stream().map(s -> fmt(s.serviceReadyS().get(service))).toList());
        }
        row(t, width, "RSS idle, mean/max (MB)", sides.stream().map(s -> fmt(s.idleRssMeanMb()) + " / " + fmt(s.idleRssMaxMb())).toList());
        row(t, width, "RSS under load (MB)", sides.stream().map(s -> fmt(s.loadRssMeanMb()) + " / " + fmt(s.loadRssMaxMb())).toList());
        row(t, width, "first minute: done/s, p99", sides.stream().map(s -> window(s.firstMinute())).toList());
        row(t, width, "after warm-up: done/s, p99", sides.stream().map(s -> window(s.warm())).toList());
        row(t, width, "first minute / warm (%)", sides.stream().map(s -> fmt(s.firstMinuteShareOfWarm())).toList());
        row(t, width, "CPU per order, first (ms)", sides.stream().map(s -> fmt(s.cpuMsPerOrderFirstMinute())).toList());
        row(t, width, "CPU per order, warm (ms)", sides.stream().map(s -> fmt(s.cpuMsPerOrderWarm())).toList());
        return t.toString();
    }

    private static String window(Bench.Window w) {
        return fmt(w.completedPerS()) + ", " + String.format(Locale.ROOT, "%.0f ms", w.p99Ms());
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void row(StringBuilder t, int width, String label, List<String> values) {
        t.append(String.format(Locale.ROOT, "%-28s", label));
        values.forEach(v -> t.append(String.format(Locale.ROOT, "%-" + width + "s", v)));
        t.append('\n');
    }
}
