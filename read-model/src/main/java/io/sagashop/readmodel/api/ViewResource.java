package io.sagashop.readmodel.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagashop.platform.api.Caller;
import io.sagashop.platform.api.Problem;
import io.sagashop.platform.api.ProblemMappers;
import io.sagashop.readmodel.messaging.DocumentFeed;
import io.sagashop.readmodel.messaging.Rebuilder;
import io.sagashop.readmodel.store.Generations;
import io.sagashop.readmodel.store.ViewQueries;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.resteasy.reactive.RestResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** The query side: order documents, summary views, the live stream and the rebuild. */
@Path("/views")
@Produces(MediaType.APPLICATION_JSON)
public class ViewResource {

    static final Set<String> STATUSES = Set.of("PENDING", "RESERVED", "PAID", "COMPLETED", "CANCELLING", "CANCELLED");
    static final int MAX_LIMIT = 100;

    private final Pool pool;
    private final Caller caller;
    /** As the order service's: an order not ended this long after its deadline counts as stuck. */
    private final java.time.Duration compensationWindow;
    private final ViewQueries views;
    private final Generations generations;
    private final Rebuilder rebuilder;
    private final DocumentFeed feed;

    ViewResource(Pool pool, ViewQueries views, Generations generations, Rebuilder rebuilder, DocumentFeed feed, Caller caller,
                 @org.eclipse.microprofile.config.inject.ConfigProperty(name = "sagashop.saga.compensation-window", defaultValue = "30s")
                 java.time.Duration compensationWindow) {
        this.pool = pool;
        this.compensationWindow = compensationWindow;
        this.caller = caller;
        this.views = views;
        this.generations = generations;
        this.rebuilder = rebuilder;
        this.feed = feed;
    }

    @GET
    @Path("/orders/{orderId}")
    @RolesAllowed({Caller.CUSTOMER, Caller.ADMIN})
    public Uni<RestResponse<JsonNode>> order(@PathParam("orderId") String orderId) {
        // Another customer's order is as unknown as one that does not exist.
        return views.liveDocument(pool, orderId).map(doc -> doc == null || !caller.owns(doc.path("customerId").asText(null))
                ? ProblemMappers.notFound("no document for order " + orderId + " (yet)") : RestResponse.ok(doc));
    }

    public record OrdersPage(List<JsonNode> items, String next) {
    }

    /** A customer lists their own orders (customerId left out or their own); an admin anyone's, or everyone's. */
    @GET
    @Path("/orders")
    @RolesAllowed({Caller.CUSTOMER, Caller.ADMIN})
    public Uni<RestResponse<OrdersPage>> orders(@QueryParam("customerId") String customerId, @QueryParam("status") String status,
                                                @QueryParam("limit") String limit, @QueryParam("after") String after) {
        if (!caller.isAdmin()) {
            if (customerId != null && !customerId.equals(caller.id())) {
                return Uni.createFrom().item(ProblemMappers.problem(Problem.of(403, "Forbidden", "a customer lists only their own orders")));
            }
            customerId = caller.id();
        }
        List<Problem.Violation> violations = new ArrayList<>();
        int size = 20;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_LIMIT) {
                violations.add(new Problem.Violation("limit", "must be a number from 1 to " + MAX_LIMIT));
            }
        }
        if (status != null && !STATUSES.contains(status)) {
            violations.add(new Problem.Violation("status", "must be one of " + String.join(", ", STATUSES.stream().sorted().toList())));
        }
        if (customerId != null && (customerId.isBlank() || customerId.length() > 64)) {
            violations.add(new Problem.Violation("customerId", "must be 1 to 64 characters"));
        }
        ViewQueries.Cursor cursor = null;
        if (after != null) {
            cursor = decode(after);
            if (cursor == null) {
                violations.add(new Problem.Violation("after", "must be the 'next' value of a previous page"));
            }
        }
        if (!violations.isEmpty()) {
            return Uni.createFrom().item(ProblemMappers.problem(new Problem("about:blank", "Bad Request", 400,
                    "invalid query parameters", violations)));
        }
        return views.page(pool, customerId, status, size, cursor)
                .map(page -> RestResponse.ok(new OrdersPage(page.items(), page.next() == null ? null : encode(page.next()))));
    }

    @GET
    @Path("/customers/{customerId}")
    @RolesAllowed({Caller.CUSTOMER, Caller.ADMIN})
    public Uni<RestResponse<ViewQueries.CustomerSummary>> customer(@PathParam("customerId") String customerId) {
        if (!caller.owns(customerId)) {
            return Uni.createFrom().item(ProblemMappers.notFound("no orders of customer " + customerId));
        }
        return views.customer(pool, customerId).map(summary -> summary == null
                ? ProblemMappers.notFound("no orders of customer " + customerId) : RestResponse.ok(summary));
    }

    @GET
    @Path("/stats")
    @RolesAllowed(Caller.ADMIN)
    public Uni<ViewQueries.Stats> stats() {
        return views.stats(pool, 5, compensationWindow);
    }

    /** Every live document as it changes (event {@code order}), with a comment every 15 s to keep proxies from closing it. */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Caller.CUSTOMER, Caller.ADMIN})
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        // Taken now: the stream outlives the request that opened it.
        boolean admin = caller.isAdmin();
        String me = caller.id();
        Multi<OutboundSseEvent> documents = feed.changes()
                .filter(doc -> admin || me.equals(doc.path("customerId").asText(null)))
                .map(doc -> sse.newEventBuilder().name("order")
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(doc.toString()).build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(Duration.ofSeconds(15))
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(documents, keepAlive);
    }

    public record RebuildStatus(String state, long processed, long skipped, Instant startedAt, Instant finishedAt,
                                int generation, String error) {
        static RebuildStatus of(Generations.RebuildRow row) {
            String state = switch (row.state()) {
                case "BUILDING" -> "RUNNING";
                case "FAILED" -> "FAILED";
                default -> row.id() == 1 ? "IDLE" : "DONE";
            };
            return new RebuildStatus(state, row.processed(), row.skipped(), instant(row.startedAt()),
                    "IDLE".equals(state) ? null : instant(row.finishedAt()), row.id(), row.error());
        }

        private static Instant instant(OffsetDateTime at) {
            return at == null ? null : at.toInstant();
        }
    }

    @POST
    @Path("/rebuild")
    @RolesAllowed(Caller.ADMIN)
    public Uni<RestResponse<RebuildStatus>> rebuild() {
        return rebuilder.start()
                .chain(generation -> generations.newestGeneration(pool))
                .map(row -> RestResponse.status(RestResponse.Status.ACCEPTED, RebuildStatus.of(row)))
                .onFailure(Rebuilder.AlreadyRunningException.class).recoverWithItem(e -> ProblemMappers.problem(
                        Problem.of(409, "Conflict", "a rebuild is already running; see GET /views/rebuild")));
    }

    @GET
    @Path("/rebuild")
    @RolesAllowed(Caller.ADMIN)
    public Uni<RebuildStatus> rebuildStatus() {
        return generations.newestGeneration(pool).map(RebuildStatus::of);
    }

    static String encode(ViewQueries.Cursor cursor) {
        String raw = cursor.createdAt() + "|" + cursor.orderId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null when {@code after} is not one this API made. */
    static ViewQueries.Cursor decode(String after) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (bar < 0 || bar == raw.length() - 1) {
                return null;
            }
            return new ViewQueries.Cursor(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
