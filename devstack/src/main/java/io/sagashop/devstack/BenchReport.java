package io.sagashop.devstack;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/** The bench report as a table for the terminal and as a self-contained HTML page with an SVG chart. */
final class BenchReport {

    private BenchReport() {
    }

    static String table(BenchResult r) {
        StringBuilder out = new StringBuilder("\n");
        out.append(String.format(Locale.ROOT, "%-10s %10s %12s %10s %10s  %s%n", "offered/s", "sent", "completed/s", "p50 ms", "p99 ms", "sustained"));
        for (Bench.Step s : r.steps()) {
            out.append(String.format(Locale.ROOT, "%-10d %10d %12.1f %10.1f %10.1f  %s%n", s.offeredPerS(), s.sent(),
                    s.completedPerS(), s.p50Ms(), s.p99Ms(), s.sustained() ? "yes" : "no"));
        }
        BenchResult.Latency latency = r.latencyMs();
        BenchResult.Limits limits = r.limits();
        out.append(String.format(Locale.ROOT, "%nmax sustained: %s sagas/s; at the reference rate %s/s: p50 %s ms, p95 %s ms, p99 %s ms, max %s ms%n",
                r.maxSustainedSagasPerS(), r.referenceRate(), latency.p50(), latency.p95(), latency.p99(), latency.max()));
        out.append(String.format(Locale.ROOT, "box limits: %s PostgreSQL commits/s, %s Kafka msgs/s; a saga costs %s commits and %s messages"
                        + " -> bound %s sagas/s (SagaShop reaches %.0f%% of it)%n",
                limits.pgCommitsPerS(), limits.kafkaMsgsPerS(), limits.commitsPerSaga(), limits.kafkaMsgsPerSaga(),
                limits.sagasPerSBound(), r.shareOfBound()));
        out.append(String.format(Locale.ROOT, "%n%-12s %8s %8s %10s%n", "process", "cpu s", "rss MB", "startup s"));
        for (BenchResult.ProcessUsage p : r.processes()) {
            out.append(String.format(Locale.ROOT, "%-12s %8s %8s %10s%n", p.name(), p.cpuS(), p.rssMb(),
                    p.startupS() == null ? "-" : p.startupS()));
        }
        return out.toString();
    }

    /** The goal's latency bound, drawn on the chart. */
    private static final double GOAL_P99_MS = 250;

    /**
     * Latency (p50, p99) and completion rate against offered rate, in one SVG, no scripts or external files. Latency
     * is on a log scale (a saturated step's seconds would flatten every other step's milliseconds), completions on a
     * linear one at the right.
     */
    static String html(BenchResult r) {
        return page(r, chart(r.steps()));
    }

    static String chart(List<Bench.Step> steps) {
        int w = 760;
        int h = 360;
        int left = 60;
        int right = 60;
        int top = 20;
        int bottom = 40;
        double maxRate = steps.stream().mapToDouble(Bench.Step::offeredPerS).max().orElse(1);
        double maxMs = Math.max(10, steps.stream().mapToDouble(Bench.Step::p99Ms).max().orElse(10));
        int decades = (int) Math.ceil(Math.log10(maxMs)); // the axis runs from 1 ms to 10^decades ms
        DoubleUnaryOperator yMs = ms -> h - bottom - (h - bottom - top) * Math.log10(Math.max(1, ms)) / decades;
        DoubleUnaryOperator yRate = rate -> h - bottom - (h - bottom - top) * rate / maxRate;
        DoubleUnaryOperator x = rate -> left + (w - left - right) * rate / maxRate;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' role='img'"
                        + " aria-label='latency and completions against offered rate' font-family='sans-serif' font-size='12'>"
                        + "<rect width='%d' height='%d' fill='#fff'/>", w, h, w, h, w, h));
        for (int d = 0; d <= decades; d++) { // gridlines: 1 ms, 10 ms, 100 ms, ...
            double y = yMs.applyAsDouble(Math.pow(10, d));
            String label = d < 3 ? (long) Math.pow(10, d) + " ms" : (long) Math.pow(10, d - 3) + " s";
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#e5e7eb'/>"
                    + "<text x='%d' y='%.1f' text-anchor='end' fill='#555'>%s</text>", left, y, w - right, y, left - 6, y + 4, label));
        }
        double goal = yMs.applyAsDouble(GOAL_P99_MS);
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#dc2626' stroke-dasharray='2,4'/>"
                + "<text x='%d' y='%.1f' fill='#dc2626'>goal: p99 %.0f ms</text>", left, goal, w - right, goal, w - right - 130, goal - 4, GOAL_P99_MS));
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#888'/>"
                        + "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#888'/><line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#888'/>",
                left, h - bottom, w - right, h - bottom, left, top, left, h - bottom, w - right, top, w - right, h - bottom));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' fill='#16a34a'>%.0f/s</text><text x='%d' y='%d' fill='#16a34a'>0/s</text>",
                w - right + 6, yRate.applyAsDouble(maxRate) + 4, maxRate, w - right + 6, h - bottom + 4));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='#555'>offered rate (orders/s)</text>", left, h - 6));
        StringBuilder p50 = new StringBuilder();
        StringBuilder p99 = new StringBuilder();
        StringBuilder done = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (Bench.Step s : steps) {
            double sx = x.applyAsDouble(s.offeredPerS());
            p50.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx, yMs.applyAsDouble(s.p50Ms())));
            p99.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx, yMs.applyAsDouble(s.p99Ms())));
            done.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx, yRate.applyAsDouble(s.completedPerS())));
            marks.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle' fill='#555'>%d</text>"
                            + "<circle cx='%.1f' cy='%.1f' r='4' fill='%s'><title>%d/s offered: p99 %.1f ms%s</title></circle>",
                    sx, h - bottom + 16, s.offeredPerS(), sx, yMs.applyAsDouble(s.p99Ms()), s.sustained() ? "#dc2626" : "#9ca3af",
                    s.offeredPerS(), s.p99Ms(), s.sustained() ? "" : " (not sustained)"));
        }
        svg.append("<polyline fill='none' stroke='#2563eb' stroke-width='2' points='").append(p50).append("'/>")
                .append("<polyline fill='none' stroke='#dc2626' stroke-width='2' points='").append(p99).append("'/>")
                .append("<polyline fill='none' stroke='#16a34a' stroke-width='2' stroke-dasharray='5,4' points='").append(done).append("'/>")
                .append(marks)
                .append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='#2563eb'>p50 latency</text>"
                                + "<text x='%d' y='%d' fill='#dc2626'>p99 latency (grey: step not sustained)</text>"
                                + "<text x='%d' y='%d' fill='#16a34a'>completed/s (right axis)</text>",
                        left + 10, top + 14, left + 10, top + 30, left + 10, top + 46))
                .append("</svg>");
        return svg.toString();
    }

    private static String page(BenchResult r, String chart) {
        BenchResult.Latency latency = r.latencyMs();
        BenchResult.Limits limits = r.limits();
        return "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>SagaShop bench</title>"
                + "<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111}td,th{padding:2px 10px;text-align:right}"
                + "th{color:#555}.k{color:#555}</style></head><body>"
                + "<h1>SagaShop benchmark</h1>"
                + String.format(Locale.ROOT, "<p><b>%s sagas/s</b> sustained at most; at %s/s (half of it) latency p50 %s ms, p95 %s ms,"
                        + " p99 %s ms, max %s ms (POST /orders sent &rarr; OrderCompleted/OrderCancelled on order-events).</p>",
                r.maxSustainedSagasPerS(), r.referenceRate(), latency.p50(), latency.p95(), latency.p99(), latency.max())
                + String.format(Locale.ROOT, "<p class='k'>This box: %s PostgreSQL commits/s and %s Kafka messages/s; a saga costs %s commits"
                        + " and %s messages, so the box bounds it at %s sagas/s.</p>",
                limits.pgCommitsPerS(), limits.kafkaMsgsPerS(), limits.commitsPerSaga(), limits.kafkaMsgsPerSaga(),
                limits.sagasPerSBound())
                + chart
                + "<h2>Steps</h2><table><tr><th>offered/s</th><th>completed/s</th><th>p50 ms</th><th>p99 ms</th><th>sustained</th></tr>"
                + r.steps().stream().map(s -> {
                    return String.format(Locale.ROOT, "<tr><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%s</td></tr>",
                            s.offeredPerS(), s.completedPerS(), s.p50Ms(), s.p99Ms(), s.sustained() ? "yes" : "no");
                }).reduce("", String::concat)
                + "</table></body></html>";
    }
}
