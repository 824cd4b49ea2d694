package io.sagashop.shipping.provider;

import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.ShippingAddress;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import java.util.List;

/** The external carrier's HTTP API (the sandbox stands in for it). Only {@link CarrierGateway} calls it. */
@RegisterRestClient(configKey = "carrier")
@Path("/carrier/shipments")
public interface CarrierClient {

    record BookingRequest(String idempotencyKey, String orderId, ShippingAddress address, List<OrderLine> items) {
    }

    record Booking(String shipmentId, String carrier, String trackingNumber, String status) {
    }

    @POST
    Uni<Booking> book(BookingRequest request);

    @DELETE
    @Path("/{shipmentId}")
    Uni<Booking> cancel(@PathParam("shipmentId") String shipmentId);

    record KeyCancellation(String idempotencyKey, boolean cancelled, String shipmentId) {
    }

    @POST
    @Path("/by-key/{idempotencyKey}/cancel")
    Uni<KeyCancellation> cancelByKey(@PathParam("idempotencyKey") String idempotencyKey);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status == 422) {
            return new ShipmentRejectedException("the carrier rejected the shipment");
        }
        if (status == 409) {
            return new ShipmentRejectedException("the booking's key was cancelled at the carrier");
        }
        if (status >= 500 || status == 429) {
            return new CarrierUnavailableException("carrier answered " + status);
        }
        return new ClientWebApplicationException("carrier answered " + status, status);
    }
}
