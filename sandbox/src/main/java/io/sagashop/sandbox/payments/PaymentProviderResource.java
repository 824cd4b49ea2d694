package io.sagashop.sandbox.payments;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sagashop.sandbox.Delays;
import io.sagashop.sandbox.ErrorResponse;
import io.sagashop.sandbox.JsonResponses;
import io.sagashop.sandbox.faults.FaultTarget;
import io.sagashop.sandbox.faults.ProviderFaults;
import io.sagashop.sandbox.payments.PaymentMessages.ChargeApproved;
import io.sagashop.sandbox.payments.PaymentMessages.ChargeRefused;
import io.sagashop.sandbox.payments.PaymentMessages.ChargeRequest;
import io.sagashop.sandbox.payments.PaymentMessages.RefundRequest;
import io.sagashop.sandbox.payments.PaymentMessages.VoidResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Optional;

/** The sandbox stand-in for the external payment provider. */
@RegisterForReflection(targets = {ChargeRefused.class, ErrorResponse.class})
@Path("/provider/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentProviderResource {

    private final PaymentLedger ledger;
    private final ProviderFaults faults;

    public PaymentProviderResource(PaymentLedger ledger, ProviderFaults faults) {
        this.ledger = ledger;
        this.faults = faults;
    }

    @POST
    @Path("/charges")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<ChargeApproved>> charge(ChargeRequest request) {
        return faults.guard(FaultTarget.PAYMENTS, () -> {
            Optional<String> problem = request == null ? Optional.of("body is required") : request.problem();
            if (problem.isPresent()) {
                return JsonResponses.now(JsonResponses.error(400, problem.get()));
            }
            return Delays.after(ledger.responseDelay(request.token()), () -> toResponse(
                    ledger.charge(request.idempotencyKey(), request.orderId(), request.amount(), request.token())));
        });
    }

    @POST
    @Path("/charges/{idempotencyKey}/void")
    public Uni<RestResponse<VoidResponse>> voidCharge(@PathParam("idempotencyKey") String idempotencyKey) {
        return faults.guard(FaultTarget.PAYMENTS, () -> JsonResponses.now(
                JsonResponses.json(200, new VoidResponse(true, ledger.voidCharge(idempotencyKey)))));
    }

    @POST
    @Path("/refunds")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Refund>> refund(RefundRequest request) {
        return faults.guard(FaultTarget.PAYMENTS, () -> {
            Optional<String> problem = request == null ? Optional.of("body is required") : request.problem();
            if (problem.isPresent()) {
                return JsonResponses.now(JsonResponses.error(400, problem.get()));
            }
            RefundResult result = ledger.refund(request.idempotencyKey(), request.chargeId(), request.amount());
            return JsonResponses.now(toResponse(result, request));
        });
    }

    @GET
    @Path("/ledger")
    public Uni<RestResponse<LedgerView>> ledger(@QueryParam("orderId") String orderId) {
        if (orderId == null || orderId.isBlank()) {
            return JsonResponses.now(JsonResponses.error(400, "orderId is required"));
        }
        return JsonResponses.now(JsonResponses.json(200, ledger.ledger(orderId)));
    }

    private static RestResponse<ChargeApproved> toResponse(ChargeResult result) {
        if (result instanceof ChargeResult.Approved approved) {
            Charge charge = approved.charge();
            return JsonResponses.json(201, new ChargeApproved(charge.chargeId(), "APPROVED", charge.amount()));
        }
        if (result instanceof ChargeResult.Declined declined) {
            return JsonResponses.other(402, new ChargeRefused("DECLINED", declined.reason()));
        }
        if (result instanceof ChargeResult.Voided) {
            return JsonResponses.other(409, new ChargeRefused("VOIDED", "the idempotency key was voided"));
        }
        return JsonResponses.error(503, "provider unavailable");
    }

    private static RestResponse<Refund> toResponse(RefundResult result, RefundRequest request) {
        if (result instanceof RefundResult.Refunded refunded) {
            return JsonResponses.json(201, refunded.refund());
        }
        if (result instanceof RefundResult.ExceedsRefundable exceeds) {
            return JsonResponses.error(422, "refund of " + request.amount().toPlainString()
                    + " exceeds the refundable " + exceeds.refundable().toPlainString());
        }
        return JsonResponses.error(404, "unknown charge " + request.chargeId());
    }
}
