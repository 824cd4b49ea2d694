package io.sagashop.devstack.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a chaos run did and found: the table, {@code chaos-report.json}, and an HTML timeline of faults and completions. */
public record ChaosReport(Chaos.Options options, int orders, int notTerminal, int clientRetries, List<ChaosFaults.Fault> faults,
                          int poisonSent, Map<String, Map<String, Integer>> outcomesByKind, double goodputPercent,
                          List<ChaosCheck.Violation> violations, List<long[]> orderTimes, long startMillis) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void print(PrintStream out) {
        out.printf("%nchaos: seed %d, %d orders at %.1f/s, %d instance(s) per service, %d faults %d-%d s apart, %d client retries%n",
                options.seed(), orders, options.rate(), options.replicas(), faults.size(), options.gap().toSeconds(),
                2 * options.gap().toSeconds(), clientRetries);
        out.printf("%n%-8s  %-18s  %s%n", "at", "fault", "what");
        for (ChaosFaults.Fault f : faults) {
            out.printf("%7.1fs  %-18s  %s (%.1f s)%n", f.startMs() / 1000.0, f.kind(), f.target(), (f.endMs() - f.startMs()) / 1000.0);
        }
        out.printf("%n%-18s  %s%n", "orders", "outcomes");
        outcomesByKind.forEach((kind, outcomes) -> out.printf("%-18s  %s%n", kind, outcomes));
        out.printf("%ngoodput: %.1f %% of plain orders COMPLETED%n", goodputPercent);
        Map<String, Integer> byInvariant = new TreeMap<>();
        violations.forEach(v -> byInvariant.merge(v.invariant(), 1, Integer::sum));
        out.printf("violations: %d %s%n", violations.size(), byInvariant.isEmpty() ? "" : byInvariant);
        violations.stream().limit(20).forEach(v -> out.printf("  %-16s %s: %s%n", v.invariant(), v.subject(), v.detail()));
        out.println(violations.isEmpty() ? "every invariant held (docs/invariants.md)" : "INVARIANTS BROKEN");
    }

    public void write(Path dir) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", options.seed());
        json.put("orders", orders);
        json.put("rate", options.rate());
        json.put("replicas", options.replicas());
        json.put("gap_seconds", options.gap().toSeconds());
        json.put("not_terminal", notTerminal);
        json.put("client_retries", clientRetries);
        json.put("goodput_percent", Math.round(goodputPercent * 10) / 10.0);
        json.put("faults", faults);
        json.put("poison_sent", poisonSent);
        json.put("outcomes_by_kind", outcomesByKind);
        Map<String, Integer> byInvariant = new TreeMap<>();
        violations.forEach(v -> byInvariant.merge(v.invariant(), 1, Integer::sum));
        json.put("violations_by_invariant", byInvariant);
        json.put("violations", violations);
        Files.writeString(dir.resolve("chaos-report.json"), JSON.writeValueAsString(json));
        Files.writeString(dir.resolve("chaos-report.html"), html());
        System.out.println("chaos: wrote " + dir.resolve("chaos-report.json") + " and " + dir.resolve("chaos-report.html"));
    }

    /** Completions (green) and cancellations (grey) per second, against the faults (shaded), as an SVG. */
    String html() {
        long end = startMillis;
        for (long[] t : orderTimes) {
            end = Math.max(end, t[1]);
        }
        int seconds = (int) Math.max(1, (end - startMillis) / 1000 + 1);
        int[] completed = new int[seconds];
        int[] cancelled = new int[seconds];
        for (long[] t : orderTimes) {
            int s = (int) Math.max(0, Math.min(seconds - 1, (t[1] - startMillis) / 1000));
            (t[2] == 1 ? completed : cancelled)[s]++;
        }
        int max = 1;
        for (int s = 0; s < seconds; s++) {
            max = Math.max(max, completed[s] + cancelled[s]);
        }
        double w = 1000.0 / seconds;
        int h = 240;
        StringBuilder svg = new StringBuilder("<svg xmlns='http://www.w3.org/2000/svg' width='1000' height='" + (h + 40) + "'>");
        for (ChaosFaults.Fault f : faults) {
            double x = f.startMs() / 1000.0 * w;
            double fw = Math.max(2, (f.endMs() - f.startMs()) / 1000.0 * w);
            svg.append(String.format(java.util.Locale.ROOT, "<rect x='%.1f' y='0' width='%.1f' height='%d' fill='#f4a261' opacity='0.35'><title>%s: %s</title></rect>",
                    x, fw, h, f.kind(), escape(f.target())));
            svg.append(String.format(java.util.Locale.ROOT, "<text x='%.1f' y='%d' font-size='9' transform='rotate(60 %.1f %d)'>%s</text>",
                    x, h + 8, x, h + 8, f.kind()));
        }
        for (int s = 0; s < seconds; s++) {
            double ch = completed[s] * (double) h / max;
            double xh = cancelled[s] * (double) h / max;
            svg.append(String.format(java.util.Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#2a9d8f'/>", s * w, h - ch, w, ch));
            svg.append(String.format(java.util.Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#999'/>", s * w, h - ch - xh, w, xh));
        }
        svg.append("</svg>");
        return "<!doctype html><html><head><meta charset='utf-8'><title>SagaShop chaos report</title></head><body style='font-family:sans-serif'>"
                + "<h1>Chaos run, seed " + options.seed() + "</h1><p>" + orders + " orders at " + options.rate() + "/s, "
                + options.replicas() + " instance(s) per service, faults " + options.gap().toSeconds() + "-"
                + 2 * options.gap().toSeconds() + " s apart; goodput "
                + String.format(java.util.Locale.ROOT, "%.1f", goodputPercent) + " % of plain orders COMPLETED; "
                + violations.size() + " violation(s).</p><p>Orders ending per second (green: completed, grey: cancelled) against the faults"
                + " (orange).</p>" + svg + "<pre>" + escape(outcomesByKind.toString()) + "</pre></body></html>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&#39;");
    }
}
