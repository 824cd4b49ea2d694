package io.sagashop.sandbox;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sagashop.sandbox.carrier.CarrierBookings;
import io.sagashop.sandbox.faults.CallCounts;
import io.sagashop.sandbox.faults.FaultKnobs;
import io.sagashop.sandbox.faults.FaultSettings;
import io.sagashop.sandbox.faults.FaultTarget;
import io.sagashop.sandbox.faults.FaultsView;
import io.sagashop.sandbox.faults.ProviderFaults;
import io.sagashop.sandbox.payments.PaymentLedger;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Optional;

/** Test controls of the sandbox: fault knobs, call counters and a full reset. Not part of any provider's API. */
@RegisterForReflection(targets = ErrorResponse.class)
@Path("/sandbox")
@Produces(MediaType.APPLICATION_JSON)
public class SandboxControlResource {

    private final ProviderFaults faults;
    private final PaymentLedger ledger;
    private final CarrierBookings bookings;

    public SandboxControlResource(ProviderFaults faults, PaymentLedger ledger, CarrierBookings bookings) {
        this.faults = faults;
        this.ledger = ledger;
        this.bookings = bookings;
    }

    @PUT
    @Path("/faults/{target}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<FaultKnobs>> configure(@PathParam("target") String target, FaultSettings settings) {
        Optional<FaultTarget> faultTarget = FaultTarget.fromPath(target);
        if (faultTarget.isEmpty()) {
            return JsonResponses.now(JsonResponses.error(404, "unknown fault target " + target
                    + "; use payments or carrier"));
        }
        if (settings == null) {
            return JsonResponses.now(JsonResponses.error(400, "body is required"));
        }
        FaultKnobs knobs;
        try {
            knobs = FaultKnobs.of(settings.errorRate(), settings.latencyMs());
        } catch (IllegalArgumentException e) {
            return JsonResponses.now(JsonResponses.error(400, e.getMessage()));
        }
        return JsonResponses.now(JsonResponses.json(200, faults.configure(faultTarget.get(), knobs)));
    }

    @GET
    @Path("/faults")
    public Uni<FaultsView> faults() {
        return Uni.createFrom().item(faults.view());
    }

    @DELETE
    @Path("/faults")
    public Uni<FaultsView> clearFaults() {
        return Uni.createFrom().item(faults.clearKnobs());
    }

    @GET
    @Path("/calls")
    public Uni<CallCounts> calls() {
        return Uni.createFrom().item(faults.callCounts());
    }

    @DELETE
    @Path("/calls")
    public Uni<CallCounts> clearCalls() {
        return Uni.createFrom().item(faults.clearCalls());
    }

    @POST
    @Path("/reset")
    public Uni<ResetResponse> reset() {
        ledger.clear();
        bookings.clear();
        faults.clearKnobs();
        faults.clearCalls();
        return Uni.createFrom().item(new ResetResponse(true));
    }

    public record ResetResponse(boolean reset) {
    }
}
