package io.sagashop.shipping.api;

import io.sagashop.platform.api.Caller;
import io.sagashop.platform.api.ProblemMappers;
import jakarta.annotation.security.RolesAllowed;
import io.sagashop.shipping.store.ShipmentStore;
import io.smallrye.mutiny.Uni;
import io.sagashop.platform.store.Transactions;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/shipments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.CUSTOMER, Caller.ADMIN})
public class ShipmentResource {

    /** status: SCHEDULED, FAILED, or CANCELLED (a booked shipment cancelled because the order was cancelled). */
    public record ShipmentView(String orderId, String status, String carrier, String trackingNumber) {
    }

    private final ShipmentStore store;
    private final Transactions transactions;
    private final Caller caller;

    ShipmentResource(ShipmentStore store, Transactions transactions, Caller caller) {
        this.store = store;
        this.transactions = transactions;
        this.caller = caller;
    }

    @GET
    @Path("/{orderId}")
    public Uni<RestResponse<ShipmentView>> get(@PathParam("orderId") String orderId) {
        return transactions.run(tx -> store.find(orderId)).map(s -> {
            // Another customer's order is as unknown as one that does not exist.
            return s != null && s.attempted() && caller.owns(s.customerId())
                    ? RestResponse.ok(new ShipmentView(s.orderId(), s.status().name(), s.carrier(), s.trackingNumber()))
                    : ProblemMappers.notFound("no shipment for order " + orderId);
        });
    }
}
