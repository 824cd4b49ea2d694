package io.sagashop.devstack;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench report as a table for the terminal and as a self-contained HTML page with an SVG chart. */
final class BenchReport {

    private BenchReport() {
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r) {
        StringBuilder out = new StringBuilder("\n");
        out.append(String.format(Locale.ROOT, "%-10s %10s %12s %10s %10s  %s%n", "offered/s", "sent", "completed/s", "p50 ms", "p99 ms", "sustained"));
        for (Object o : (List<Object>) r.get("steps")) {
            Bench.Step s = (Bench.Step) o;
            out.append(String.format(Locale.ROOT, "%-10d %10d %12.1f %10.1f %10.1f  %s%n", s.offeredPerS(), s.sent(),
                    s.completedPerS(), s.p50Ms(), s.p99Ms(), s.sustained() ? "yes" : "no"));
        }
        Map<String, Object> latency = (Map<String, Object>) r.get("latency_ms");
        Map<String, Object> limits = (Map<String, Object>) r.get("limits");
        out.append(String.format(Locale.ROOT, "%nmax sustained: %s sagas/s; at the reference rate %s/s: p50 %s ms, p95 %s ms, p99 %s ms, max %s ms%n",
                r.get("max_sustained_sagas_per_s"), r.get("reference_rate"), latency.get("p50"), latency.get("p95"),
                latency.get("p99"), latency.get("max")));
        out.append(String.format(Locale.ROOT, "box limits: %s PostgreSQL commits/s, %s Kafka msgs/s; a saga costs %s commits and %s messages"
                        + " -> bound %s sagas/s (SagaShop reaches %.0f%% of it)%n",
                limits.get("pg_commits_per_s"), limits.get("kafka_msgs_per_s"), limits.get("commits_per_saga"),
                limits.get("kafka_msgs_per_saga"), limits.get("sagas_per_s_bound"),
                100.0 * ((Number) r.get("max_sustained_sagas_per_s")).doubleValue()
                        / Math.max(1, ((Number) limits.get("sagas_per_s_bound")).doubleValue())));
        out.append(String.format(Locale.ROOT, "%n%-12s %8s %8s %10s%n", "process", "cpu s", "rss MB", "startup s"));
        for (Object o : (List<Object>) r.get("processes")) {
            Map<String, Object> p = (Map<String, Object>) o;
            out.append(String.format(Locale.ROOT, "%-12s %8s %8s %10s%n", p.get("name"), p.get("cpu_s"), p.get("rss_mb"),
                    p.get("startup_s") == null ? "-" : p.get("startup_s")));
        }
        return out.toString();
    }

    /** Latency (p50, p99) and completion rate against offered rate, in one SVG, no scripts or external files. */
    @SuppressWarnings("unchecked")
    static String html(Map<String, Object> r) {
        List<Object> steps = (List<Object>) r.get("steps");
        int w = 760;
        int h = 360;
        int left = 60;
        int bottom = 40;
        double maxRate = steps.stream().mapToDouble(o -> ((Bench.Step) o).offeredPerS()).max().orElse(1);
        double maxMs = Math.max(10, steps.stream().mapToDouble(o -> ((Bench.Step) o).p99Ms()).max().orElse(10));
        StringBuilder p50 = new StringBuilder();
        StringBuilder p99 = new StringBuilder();
        StringBuilder done = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (Object o : steps) {
            Bench.Step s = (Bench.Step) o;
            double x = left + (w - left - 20) * s.offeredPerS() / maxRate;
            double y50 = h - bottom - (h - bottom - 20) * s.p50Ms() / maxMs;
            double y99 = h - bottom - (h - bottom - 20) * s.p99Ms() / maxMs;
            double yDone = h - bottom - (h - bottom - 20) * s.completedPerS() / maxRate;
            p50.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y50));
            p99.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y99));
            done.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yDone));
            dots.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='4' fill='%s'><title>%d/s offered: p99 %.1f ms%s</title></circle>",
                    x, y99, s.sustained() ? "#dc2626" : "#9ca3af", s.offeredPerS(), s.p99Ms(), s.sustained() ? "" : " (not sustained)"));
        }
        Map<String, Object> latency = (Map<String, Object>) r.get("latency_ms");
        Map<String, Object> limits = (Map<String, Object>) r.get("limits");
        return "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>SagaShop bench</title>"
                + "<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111}td,th{padding:2px 10px;text-align:right}"
                + "th{color:#555}.k{color:#555}</style></head><body>"
                + "<h1>SagaShop benchmark</h1>"
                + String.format(Locale.ROOT, "<p><b>%s sagas/s</b> sustained at most; at %s/s (half of it) latency p50 %s ms, p95 %s ms,"
                        + " p99 %s ms, max %s ms (POST /orders sent &rarr; OrderCompleted/OrderCancelled on order-events).</p>",
                r.get("max_sustained_sagas_per_s"), r.get("reference_rate"), latency.get("p50"), latency.get("p95"),
                latency.get("p99"), latency.get("max"))
                + String.format(Locale.ROOT, "<p class='k'>This box: %s PostgreSQL commits/s and %s Kafka messages/s; a saga costs %s commits"
                        + " and %s messages, so the box bounds it at %s sagas/s.</p>",
                limits.get("pg_commits_per_s"), limits.get("kafka_msgs_per_s"), limits.get("commits_per_saga"),
                limits.get("kafka_msgs_per_saga"), limits.get("sagas_per_s_bound"))
                + "<svg width='" + w + "' height='" + h + "' viewBox='0 0 " + w + " " + h + "' role='img' aria-label='latency against offered rate'>"
                + "<line x1='" + left + "' y1='" + (h - bottom) + "' x2='" + (w - 10) + "' y2='" + (h - bottom) + "' stroke='#888'/>"
                + "<line x1='" + left + "' y1='10' x2='" + left + "' y2='" + (h - bottom) + "' stroke='#888'/>"
                + String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12'>offered rate (orders/s), 0 &#8230; %.0f</text>", left, h - 10, maxRate)
                + String.format(Locale.ROOT, "<text x='4' y='16' font-size='12'>ms (0 &#8230; %.0f)</text>", maxMs)
                + "<polyline fill='none' stroke='#2563eb' stroke-width='2' points='" + p50 + "'/>"
                + "<polyline fill='none' stroke='#dc2626' stroke-width='2' points='" + p99 + "'/>"
                + "<polyline fill='none' stroke='#16a34a' stroke-width='2' stroke-dasharray='5,4' points='" + done + "'/>"
                + dots
                + "<text x='" + (w - 230) + "' y='24' fill='#2563eb' font-size='12'>p50 latency</text>"
                + "<text x='" + (w - 230) + "' y='40' fill='#dc2626' font-size='12'>p99 latency</text>"
                + "<text x='" + (w - 230) + "' y='56' fill='#16a34a' font-size='12'>completed/s (same scale as offered)</text>"
                + "</svg><h2>Steps</h2><table><tr><th>offered/s</th><th>completed/s</th><th>p50 ms</th><th>p99 ms</th><th>sustained</th></tr>"
                + steps.stream().map(o -> {
                    Bench.Step s = (Bench.Step) o;
                    return String.format(Locale.ROOT, "<tr><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%s</td></tr>",
                            s.offeredPerS(), s.completedPerS(), s.p50Ms(), s.p99Ms(), s.sustained() ? "yes" : "no");
                }).reduce("", String::concat)
                + "</table></body></html>";
    }
}
