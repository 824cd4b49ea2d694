package io.sagashop.readmodel.api;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The dashboard page; its script (/dashboard/app.js) reads the views and follows /views/stream. */
@Path("/")
public class DashboardResource {

    private final Template dashboard;

    DashboardResource(Template dashboard) {
        this.dashboard = dashboard;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return dashboard.instance();
    }
}
