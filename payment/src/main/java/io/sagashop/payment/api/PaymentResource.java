package io.sagashop.payment.api;

import io.sagashop.payment.store.PaymentStore;
import io.sagashop.platform.api.Caller;
import io.sagashop.platform.api.ProblemMappers;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import io.sagashop.platform.store.Transactions;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.math.BigDecimal;

@Path("/payments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.CUSTOMER, Caller.ADMIN})
public class PaymentResource {

    public record PaymentView(String orderId, String status, BigDecimal amount, BigDecimal capturedAmount,
                              BigDecimal refundedAmount, String providerReference) {
    }

    private final PaymentStore store;
    private final Transactions transactions;
    private final Caller caller;

    PaymentResource(PaymentStore store, Transactions transactions, Caller caller) {
        this.store = store;
        this.transactions = transactions;
        this.caller = caller;
    }

    @GET
    @Path("/{orderId}")
    public Uni<RestResponse<PaymentView>> get(@PathParam("orderId") String orderId) {
        // Another customer's order is as unknown as one that does not exist.
        return transactions.run(tx -> store.find(orderId)).map(p -> p == null || !p.status().attempted() || !caller.owns(p.customerId())
                ? ProblemMappers.notFound("no payment was attempted for order " + orderId)
                : RestResponse.ok(new PaymentView(p.orderId(), p.status().name(), p.amount(), p.captured(), p.refunded(),
                p.providerReference())));
    }
}
