package io.sagashop.shipping.api;

import io.sagashop.platform.api.ProblemMappers;
import io.sagashop.shipping.store.ShipmentStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/shipments")
@Produces(MediaType.APPLICATION_JSON)
public class ShipmentResource {

    /** status: SCHEDULED, FAILED, or CANCELLED (a booked shipment cancelled because the order was cancelled). */
    public record ShipmentView(String orderId, String status, String carrier, String trackingNumber) {
    }

    private final ShipmentStore store;
    private final Pool pool;

    ShipmentResource(ShipmentStore store, Pool pool) {
        this.store = store;
        this.pool = pool;
    }

    @GET
    @Path("/{orderId}")
    public Uni<RestResponse<Object>> get(@PathParam("orderId") String orderId) {
        return store.find(pool, orderId).map(s -> {
            boolean attempted = s != null && (s.status().equals("SCHEDULED") || s.status().equals("FAILED")
                    || (s.status().equals("CANCELLED") && s.shipmentId() != null));
            return attempted
                    ? RestResponse.ok(new ShipmentView(s.orderId(), s.status(), s.carrier(), s.trackingNumber()))
                    : ProblemMappers.notFound("no shipment for order " + orderId);
        });
    }
}
