package io.sagashop.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./sagashop dlq}: what is in each service's dead-letter topic (count, and per record its id, order, event type,
 * age and reason), and {@code ./sagashop dlq replay --service S (--id P:O ... | --all)} to send records back through
 * the service's inbox. Talks to the services' {@code /admin/dlq} endpoints of a running stack.
 */
final class DeadLetterCommand {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterCommand() {
    }

    static int run(List<String> args) {
        boolean replay = !args.isEmpty() && args.get(0).equals("replay");
        List<String> options = replay ? args.subList(1, args.size()) : args;
        int offset = 0;
        java.nio.file.Path dataDir = io.sagashop.devstack.auth.Tokens.defaultDataDir();
        Service only = null;
        List<String> ids = new ArrayList<>();
        boolean all = false;
        try {
            for (int i = 0; i < options.size(); i++) {
                String option = options.get(i);
                switch (option) {
                    case "--port-offset" -> offset = Main.number(Main.value(options, ++i, option), option, 0);
                    case "--data-dir" -> dataDir = java.nio.file.Path.of(Main.value(options, ++i, option)).toAbsolutePath();
                    case "--service" -> only = service(Main.value(options, ++i, option));
                    case "--id" -> ids.add(Main.value(options, ++i, option));
                    case "--all" -> all = true;
                    default -> throw new IllegalArgumentException("unknown option '" + option + "'");
                }
            }
            if (replay && (only == null || (ids.isEmpty() == !all))) {
                throw new IllegalArgumentException("replay needs --service and either --id PARTITION:OFFSET (repeatable) or --all");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("sagashop: dlq: " + e.getMessage() + Main.SEE_HELP);
            return 2;
        }
        try {
            authorization = io.sagashop.devstack.auth.Tokens.adminHeader(dataDir);
            return replay ? replay(only, offset, ids, all) : list(only, offset);
        } catch (IOException e) {
            System.err.println("sagashop: dlq: " + e.getMessage() + " (is ./sagashop up running"
                    + (offset == 0 ? "" : " with --port-offset " + offset) + "?)");
            return 1;
        } catch (InterruptedException e) {
            return 130;
        }
    }

    private static int list(Service only, int offset) throws IOException, InterruptedException {
        for (Service s : only == null ? Service.SAGA_SERVICES : List.of(only)) {
            JsonNode listing = send(HttpRequest.newBuilder(url(s, offset)).GET());
            System.out.printf("%-11s %s: %d record(s)%n", s.module(), listing.path("topic").asText(), listing.path("count").asInt());
            for (JsonNode r : listing.path("records")) {
                System.out.printf("  %-8s order %-36s %-26s %6ds ago  %s%s%n", r.path("id").asText(), r.path("orderId").asText("-"),
                        r.path("type").asText("?"), r.path("ageSeconds").asLong(), r.path("reason").asText(""),
                        r.path("replayable").asBoolean() ? "" : "  (not an event: not replayable)");
            }
        }
        return 0;
    }

    private static int replay(Service service, int offset, List<String> ids, boolean all) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        if (all) {
            body.put("all", true);
        } else {
            ids.forEach(body.putArray("ids")::add);
        }
        JsonNode result = send(HttpRequest.newBuilder(URI.create(url(service, offset) + "/replay"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        List<String> replayed = new ArrayList<>();
        result.path("replayed").forEach(id -> replayed.add(id.asText()));
        System.out.printf("%s: replayed %d record(s) %s through the inbox (a record replayed before changes nothing)%n",
                service.module(), replayed.size(), replayed);
        if (!all && replayed.size() < ids.size()) {
            System.out.println("not replayed (unknown id, or not an event): "
                    + ids.stream().filter(id -> !replayed.contains(id)).toList());
            return 1;
        }
        return 0;
    }

    /** An admin's bearer token (the DLQ endpoints are for admins). */
    private static String authorization;

    private static JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static URI url(Service service, int offset) {
        return URI.create("http://localhost:" + (service.defaultPort() + offset) + "/admin/dlq");
    }

    private static Service service(String module) {
        return Service.SAGA_SERVICES.stream().filter(s -> s.module().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service '" + module + "' (order, inventory, payment, shipping, read-model)"));
    }
}
