package io.sagashop.devstack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.Service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ./sagashop chaos}: a randomized fault run against a fresh stack. Open-loop orders from retrying clients while
 * faults come one after another; then every invariant is checked against the services and the providers' own books.
 * Prints a table, writes {@code chaos-report.json} and {@code chaos-report.html}; exit 0 only with no violation.
 */
public final class Chaos {

    static final int PORT_OFFSET = 22000;

    /** The longest calm after each fault by default: the saga's deadline, so that every fault meets a recovered stack. */
    static final Duration LONGEST_DEFAULT_GAP = Duration.ofSeconds(30);

    /**
     * What to run; {@code seed} makes the order kinds and the fault schedule repeatable; after each fault the stack is
     * left alone for {@code gap} to twice {@code gap}.
     */
    public record Options(int orders, double rate, long seed, Set<ChaosFaults.Kind> faults, Path dataDir, int replicas,
                          Duration gap) {
    }

    private Chaos() {
    }

    public static Options options(int orders, double rate, long seed, Set<ChaosFaults.Kind> faults, Path dataDir, int replicas,
                                  Duration gap) {
        return new Options(orders, rate, seed, faults, dataDir, replicas, gap);
    }

    /** The command line: parses the options, runs on a fresh stack, returns the exit code. */
    public static int run(Path root, List<String> args) {
        Options options;
        try {
            options = parse(root, args);
        } catch (IllegalArgumentException e) {
            System.err.println("sagashop: chaos: " + e.getMessage() + "; see ./sagashop help");
            return 2;
        }
        try (Devstack stack = Devstack.create(Devstack.Options.defaults(root).dataDir(options.dataDir()).fresh(true)
                .portOffset(PORT_OFFSET).replicas(options.replicas()))) {
            System.out.printf("sagashop chaos: %d orders at %.1f/s, seed %d, %d instance(s) per service, faults %s"
                            + " %d-%d s apart; starting a fresh stack on ports +%d ...%n",
                    options.orders(), options.rate(), options.seed(), options.replicas(), options.faults(),
                    options.gap().toSeconds(), 2 * options.gap().toSeconds(), PORT_OFFSET);
            stack.launch();
            ChaosReport report = run(stack, options);
            report.print(System.out);
            report.write(root);
            return report.violations().isEmpty() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("sagashop: chaos failed: " + e);
            return 1;
        }
    }

    /** One chaos run against a started stack (the system test uses this directly). */
    public static ChaosReport run(Devstack stack, Options options) throws Exception {
        catalog(stack);
        long start = System.nanoTime();
        ChaosLoad load = new ChaosLoad(stack.replicas(Service.ORDER).stream().map(o -> o.url() + "/orders").toList(),
                "Bearer " + stack.adminToken(), options.seed());
        ChaosFaults faults = new ChaosFaults(stack, options.seed(), options.faults(), options.gap(), start);
        long loadEnds = start + (long) (options.orders() / options.rate() * 1e9);
        Thread faulting = new Thread(() -> {
            try {
                faults.run(loadEnds);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "chaos-faults");
        faulting.start();
        load.run(options.orders(), options.rate(), start, n -> System.out.printf("chaos: %d of %d orders sent%n", n, options.orders()));
        faulting.join();
        System.out.println("chaos: every order sent and accepted; waiting until each has ended ...");

        ChaosCheck check = new ChaosCheck(stack);
        Map<String, ChaosLoad.Placed> placed = load.placed();
        List<String> open = check.awaitTerminal(placed.keySet(), Duration.ofMinutes(3));
        List<ChaosCheck.Violation> violations = new ArrayList<>(check.check(placed.keySet(), faults.poisonSent()));
        if (load.lost() > 0) {
            violations.add(new ChaosCheck.Violation("accepted", "orders", load.lost() + " order(s) never accepted"));
        }
        if (load.duplicateMismatches() > 0) {
            violations.add(new ChaosCheck.Violation("idempotency", "orders", load.duplicateMismatches() + " repeated request(s) made a second order"));
        }
        Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
        List<long[]> completions = new ArrayList<>();
        int plain = 0;
        int plainCompleted = 0;
        for (ChaosLoad.Placed p : placed.values()) {
            JsonNode order = check.get(Service.ORDER, "/orders/" + p.orderId());
            String outcome = order.path("status").asText() + (order.path("failureReason").isNull() || order.path("failureReason").isMissingNode()
                    ? "" : "/" + order.path("failureReason").asText());
            outcomes.computeIfAbsent(p.kind().name(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
            if (p.kind() == ChaosLoad.Kind.PLAIN) {
                plain++;
                if (outcome.equals("COMPLETED")) {
                    plainCompleted++;
                }
            }
            completions.add(new long[]{p.placedAtMillis(), java.time.Instant.parse(order.path("updatedAt").asText()).toEpochMilli(),
                    outcome.equals("COMPLETED") ? 1 : 0});
        }
        long startMillis = System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000;
        return new ChaosReport(options, placed.size(), open.size(), load.retries(), faults.happened(), faults.poisonSent(),
                outcomes, plain == 0 ? 0 : 100.0 * plainCompleted / plain, violations, completions, startMillis);
    }

    private static void catalog(Devstack stack) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String sku : ChaosLoad.SKUS) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.service(Service.INVENTORY).url() + "/products"))
                    .header("content-type", "application/json").header("Authorization", "Bearer " + stack.adminToken()).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"sku\":\"" + sku + "\",\"name\":\"Chaos " + sku + "\",\"price\":12.50,\"stock\":" + ChaosLoad.STOCK + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("catalog: " + r.statusCode() + " " + r.body());
            }
        }
    }

    static Options parse(Path root, List<String> args) {
        int orders = 600;
        double rate = 10;
        long seed = System.currentTimeMillis() % 100_000;
        Set<ChaosFaults.Kind> faults = EnumSet.allOf(ChaosFaults.Kind.class);
        Integer duration = null;
        int replicas = 1;
        Duration gap = null;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            i++;
            try {
                switch (option) {
                    case "--orders" -> orders = positive(Integer.parseInt(value), option);
                    case "--rate" -> rate = positive(Double.parseDouble(value), option);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--duration" -> duration = positive(Integer.parseInt(value.replaceAll("s$", "")), option);
                    case "--faults" -> faults = faults(value);
                    case "--replicas" -> replicas = io.sagashop.devstack.Main.replicas(value, option);
                    case "--gap" -> gap = Duration.ofSeconds(positive(Integer.parseInt(value.replaceAll("s$", "")), option));
                    default -> throw new IllegalArgumentException("unknown option '" + option + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a number, not '" + value + "'");
            }
        }
        if (duration != null) {
            orders = (int) Math.max(1, Math.round(rate * duration));
        }
        return new Options(orders, rate, seed, faults, root.resolve("target/chaos-data"), replicas,
                gap != null ? gap : defaultGap(orders / rate, faults.size()));
    }

    /**
     * The saga's deadline, or less in a run too short for every kind of fault to happen at that pace while orders
     * are sent (never under 2 s).
     */
    static Duration defaultGap(double sendingSeconds, int kinds) {
        long fitting = (long) (sendingSeconds * 1000 / (1.5 * (kinds + 1)));
        return Duration.ofMillis(Math.max(2000, Math.min(LONGEST_DEFAULT_GAP.toMillis(), fitting)));
    }

    private static Set<ChaosFaults.Kind> faults(String list) {
        if (list.equals("none")) {
            return EnumSet.noneOf(ChaosFaults.Kind.class);
        }
        Set<ChaosFaults.Kind> kinds = EnumSet.noneOf(ChaosFaults.Kind.class);
        for (String name : list.split(",")) {
            try {
                kinds.add(ChaosFaults.Kind.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown fault '" + name + "' (kinds: " + EnumSet.allOf(ChaosFaults.Kind.class)
                        .stream().map(k -> k.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + ", or none)");
            }
        }
        return kinds;
    }

    private static <N extends Number> N positive(N n, String option) {
        if (n.doubleValue() <= 0) {
            throw new IllegalArgumentException(option + " must be above 0");
        }
        return n;
    }
}
