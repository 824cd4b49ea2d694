package io.sagashop.sandbox.carrier;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sagashop.sandbox.ErrorResponse;
import io.sagashop.sandbox.JsonResponses;
import io.sagashop.sandbox.carrier.CarrierMessages.CancelByKeyResponse;
import io.sagashop.sandbox.carrier.CarrierMessages.ShipmentRejected;
import io.sagashop.sandbox.carrier.CarrierMessages.ShipmentRequest;
import io.sagashop.sandbox.carrier.CarrierMessages.ShipmentResponse;
import io.sagashop.sandbox.faults.FaultTarget;
import io.sagashop.sandbox.faults.ProviderFaults;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Optional;

/** The sandbox stand-in for the external carrier. */
@RegisterForReflection(targets = {ShipmentRejected.class, ErrorResponse.class})
@Path("/carrier/shipments")
@Produces(MediaType.APPLICATION_JSON)
public class CarrierResource {

    private final CarrierBookings bookings;
    private final ProviderFaults faults;

    public CarrierResource(CarrierBookings bookings, ProviderFaults faults) {
        this.bookings = bookings;
        this.faults = faults;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ShipmentResponse>> book(ShipmentRequest request) {
        return faults.guard(FaultTarget.CARRIER, () -> {
            Optional<String> problem = request == null ? Optional.of("body is required") : request.problem();
            if (problem.isPresent()) {
                return JsonResponses.now(JsonResponses.error(400, problem.get()));
            }
            BookingResult result = bookings.book(request.idempotencyKey(), request.orderId(), request.address().country());
            if (result instanceof BookingResult.Booked booked) {
                return JsonResponses.now(JsonResponses.json(201, ShipmentResponse.of(booked.shipment())));
            }
            if (result instanceof BookingResult.Cancelled) {
                return JsonResponses.now(JsonResponses.other(409,
                        new ShipmentRejected("CANCELLED", "the idempotency key was cancelled")));
            }
            BookingResult.Rejected rejected = (BookingResult.Rejected) result;
            return JsonResponses.now(JsonResponses.other(422, new ShipmentRejected("REJECTED", rejected.reason())));
        });
    }

    @POST
    @Path("/by-key/{idempotencyKey}/cancel")
    public Uni<RestResponse<CancelByKeyResponse>> cancelByKey(@PathParam("idempotencyKey") String idempotencyKey) {
        return faults.guard(FaultTarget.CARRIER, () -> {
            Optional<Shipment> cancelled = bookings.cancelByKey(idempotencyKey);
            return JsonResponses.now(JsonResponses.json(200, new CancelByKeyResponse(idempotencyKey,
                    cancelled.isPresent(), cancelled.map(Shipment::shipmentId).orElse(null))));
        });
    }

    @DELETE
    @Path("/{shipmentId}")
    public Uni<RestResponse<ShipmentResponse>> cancel(@PathParam("shipmentId") String shipmentId) {
        return faults.guard(FaultTarget.CARRIER, () -> JsonResponses.now(bookings.cancel(shipmentId)
                .map(shipment -> JsonResponses.json(200, ShipmentResponse.of(shipment)))
                .orElseGet(() -> JsonResponses.error(404, "unknown shipment " + shipmentId))));
    }

    @GET
    public Uni<RestResponse<List<ShipmentResponse>>> shipments(@QueryParam("orderId") String orderId) {
        if (orderId == null || orderId.isBlank()) {
            return JsonResponses.now(JsonResponses.error(400, "orderId is required"));
        }
        List<ShipmentResponse> shipments = bookings.shipments(orderId).stream().map(ShipmentResponse::of).toList();
        return JsonResponses.now(JsonResponses.json(200, shipments));
    }
}
