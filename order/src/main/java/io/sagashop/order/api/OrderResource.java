package io.sagashop.order.api;

import io.sagashop.contracts.EventCodec;
import io.sagashop.contracts.EventEnvelope;
import io.sagashop.contracts.PaymentTokenSeal;
import io.sagashop.contracts.events.FailureReason;
import io.sagashop.order.saga.OrderService;
import io.sagashop.order.domain.OrderSaga;
import io.sagashop.order.domain.OrderState;
import io.sagashop.platform.api.Caller;
import io.sagashop.platform.api.Problem;
import io.sagashop.platform.api.ProblemMappers;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.*;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;

@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.CUSTOMER, Caller.ADMIN})
public class OrderResource {

    private final OrderService orders;
    private final Caller caller;
    private final PaymentTokenSeal seal;

    OrderResource(OrderService orders, Caller caller, PaymentTokenSeal seal) {
        this.orders = orders;
        this.caller = caller;
        this.seal = seal;
    }

    /** Starts the saga. The same Idempotency-Key with the same body returns the same order, never a second one. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<OrderViews.Accepted>> place(@NotNull(message = "a JSON body is required") @Valid OrderRequests.PlaceOrder request,
                                           @RestHeader("Idempotency-Key") @Size(min = 1, max = 255) String idempotencyKey) {
        if (!caller.isAdmin() && request.customerId() != null && !request.customerId().equals(caller.id())) {
            return Uni.createFrom().item(ProblemMappers.problem(Problem.of(403, "Forbidden",
                    "customerId " + request.customerId() + " is not the customer of this token; leave it out")));
        }
        String customer = caller.isAdmin() ? request.customerId() : caller.id();
        if (customer == null) {
            return Uni.createFrom().item(ProblemMappers.problem(new Problem("about:blank", "Invalid request", 400,
                    "customerId is required when an admin places an order", List.of(new Problem.Violation("customerId", "is required")))));
        }
        OrderRequests.PlaceOrder own = request.forCustomer(customer);
        return orders.place((orderId, due) -> own.toEvent(orderId, due, seal), idempotencyKey, hash(own))
                .map(placed -> RestResponse.ResponseBuilder.<OrderViews.Accepted>accepted(
                                new OrderViews.Accepted(placed.orderId(), placed.state().status()))
                        .location(URI.create("/orders/" + placed.orderId())).build());
    }

    @GET
    @Path("/{orderId}")
    public Uni<RestResponse<OrderViews.OrderView>> get(@PathParam("orderId") String orderId, @QueryParam("asOf") String asOf) {
        if (asOf == null) {
            return orders.get(orderId).map(state -> state.exists() && caller.owns(state.customerId())
                    ? RestResponse.ok(OrderViews.OrderView.of(state))
                    : notFound(orderId));
        }
        Instant instant;
        try {
            instant = Instant.parse(asOf);
        } catch (DateTimeParseException e) {
            return Uni.createFrom().item(ProblemMappers.problem(new Problem("about:blank", "Invalid request", 400,
                    "asOf must be an ISO-8601 instant such as 2026-01-31T12:00:00Z",
                    List.of(new Problem.Violation("asOf", "must be an ISO-8601 instant")))));
        }
        return orders.history(orderId).map(events -> {
            OrderState then = OrderState.replay(orderId, events, instant);
            return then.exists() && ownsHistory(orderId, events) ? RestResponse.ok(OrderViews.OrderView.of(then)) : notFound(orderId);
        });
    }

    @GET
    @Path("/{orderId}/events")
    public Uni<RestResponse<List<OrderViews.EventView>>> events(@PathParam("orderId") String orderId) {
        return orders.history(orderId).map(events -> !ownsHistory(orderId, events)
                ? notFound(orderId)
                : RestResponse.ok(events.stream().map(OrderViews.EventView::of).toList()));
    }

    @POST
    @Path("/{orderId}/cancel")
    public Uni<RestResponse<OrderViews.Accepted>> cancel(@PathParam("orderId") String orderId) {
        return orders.get(orderId).chain(state -> state.exists() && caller.owns(state.customerId())
                ? cancelOwn(orderId) : Uni.createFrom().item(notFound(orderId)));
    }

    private Uni<RestResponse<OrderViews.Accepted>> cancelOwn(String orderId) {
        return orders.cancel(orderId, FailureReason.CUSTOMER_CANCELLED).map(outcome -> {
            if (!outcome.state().exists()) {
                return notFound(orderId);
            }
            if (outcome.decision() instanceof OrderSaga.CancelDecision.Refused refused) {
                return ProblemMappers.problem(Problem.of(409, "Conflict",
                        "order " + orderId + " is already " + refused.status() + " and can no longer be cancelled"));
            }
            return RestResponse.accepted(new OrderViews.Accepted(orderId, outcome.state().status()));
        });
    }

    @ServerExceptionMapper
    public RestResponse<Problem> keyReused(OrderService.KeyReusedException e) {
        return ProblemMappers.problem(Problem.of(422, "Idempotency-Key reused", e.getMessage()));
    }

    /** Whether the caller may see the order: its customer is the one OrderPlaced, the first event, names. */
    private boolean ownsHistory(String orderId, List<EventEnvelope> events) {
        return !events.isEmpty() && caller.owns(OrderState.replay(orderId, events.subList(0, 1), Instant.MAX).customerId());
    }

    private static <T> RestResponse<T> notFound(String orderId) {
        return ProblemMappers.notFound("no order " + orderId);
    }

    /** Canonical JSON of the validated request: two requests are "the same" when their content is. */
    private static String hash(OrderRequests.PlaceOrder request) {
        try {
            byte[] json = EventCodec.mapper().writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
