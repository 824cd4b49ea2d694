package io.sagashop.payment.provider;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import java.math.BigDecimal;

/** The external payment provider's HTTP API (the sandbox stands in for it). Only {@link PaymentGateway} calls it. */
@RegisterRestClient(configKey = "payment-provider")
@Path("/provider/payments")
public interface PaymentProviderClient {

    record ChargeRequest(String idempotencyKey, String orderId, BigDecimal amount, String token) {
    }

    record Charge(String chargeId, String status, BigDecimal amount) {
    }

    record RefundRequest(String idempotencyKey, String chargeId, BigDecimal amount) {
    }

    record Refund(String refundId, String chargeId, BigDecimal amount) {
    }

    record Voided(boolean voided, BigDecimal refundedAmount) {
    }

    @POST
    @Path("/charges")
    Uni<Charge> charge(ChargeRequest request);

    @POST
    @Path("/refunds")
    Uni<Refund> refund(RefundRequest request);

    @POST
    @Path("/charges/{idempotencyKey}/void")
    Uni<Voided> voidCharge(@PathParam("idempotencyKey") String idempotencyKey);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status == 402) {
            return new ChargeDeclinedException("declined by the provider");
        }
        if (status >= 500 || status == 429) {
            return new ProviderUnavailableException("payment provider answered " + status);
        }
        return new ClientWebApplicationException("payment provider answered " + status, status);
    }
}
