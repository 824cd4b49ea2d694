package io.sagashop.testing;

import static io.restassured.RestAssured.given;

/** Reads the service's {@code /q/metrics} (Prometheus text format) in tests. */
public final class Metrics {

    private Metrics() {
    }

    public static String all() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of a metric's samples whose line contains {@code filter} (e.g. a label); 0 when there are none. */
    public static double sum(String name, String filter) {
        return sum(all(), name, filter);
    }

    /** {@link #sum(String, String)} in a scrape already taken (several metrics read at one instant). */
    public static double sum(String scrape, String name, String filter) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(filter)) {
                // "name{labels} value", possibly followed by an exemplar ("# {trace_id=...} value timestamp")
                String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
                sum += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1).trim());
            }
        }
        return sum;
    }
}
