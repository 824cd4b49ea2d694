package io.sagashop.readmodel.api;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.sagashop.readmodel.store.Generations;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.format.DateTimeFormatter;

/** The dashboard page; its script (/dashboard/app.js) reads the views and follows /views/stream. */
@Path("/")
public class DashboardResource {

    private final Template dashboard;
    private final Generations generations;
    private final Pool pool;

    DashboardResource(Template dashboard, Generations generations, Pool pool) {
        this.dashboard = dashboard;
        this.generations = generations;
        this.pool = pool;
    }

    /** The page is public; everything it shows comes from the API, with the token the browser holds (a cookie). */
    @GET
    @jakarta.annotation.security.PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page() {
        return generations.liveGeneration(pool).map(live -> dashboard
                .data("generation", live.id())
                .data("liveSince", live.finishedAt() == null ? "-" : DateTimeFormatter.ISO_INSTANT.format(live.finishedAt().toInstant())));
    }
}
