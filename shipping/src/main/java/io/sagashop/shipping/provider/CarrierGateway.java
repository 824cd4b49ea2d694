package io.sagashop.shipping.provider;

import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.ShippingAddress;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.*;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;

/**
 * The carrier behind timeout, retry with exponential backoff and jitter, a circuit breaker and a bulkhead; "unavailable"
 * becomes an {@link Unavailable} outcome, and the caller decides what it means for the order (wait, up to its
 * deadline). Thresholds are configuration. Bookings carry an idempotency key derived from the order: a retried booking is one booking.
 */
@ApplicationScoped
public class CarrierGateway {

    public sealed interface BookingOutcome {
    }

    public record Booked(String shipmentId, String carrier, String trackingNumber) implements BookingOutcome {
    }

    public record Rejected(String reason) implements BookingOutcome {
    }

    public record Unavailable(String reason) implements BookingOutcome {
    }

    private final CarrierClient carrier;

    public static String bookingKey(String orderId) {
        return "ship-" + orderId;
    }

    CarrierGateway(@RestClient CarrierClient carrier) {
        this.carrier = carrier;
    }

    @AsynchronousNonBlocking
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = {CarrierUnavailableException.class, TimeoutException.class,
            jakarta.ws.rs.ProcessingException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 1000)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 5000, successThreshold = 2)
    @CircuitBreakerName("carrier")
    @Bulkhead(value = 8, waitingTaskQueue = 16)
    @Fallback(fallbackMethod = "bookUnavailable")
    public Uni<BookingOutcome> book(String orderId, ShippingAddress address, List<OrderLine> items) {
        return carrier.book(new CarrierClient.BookingRequest(bookingKey(orderId), orderId, address, items))
                .map(b -> (BookingOutcome) new Booked(b.shipmentId(), b.carrier(), b.trackingNumber()))
                .onFailure(ShipmentRejectedException.class).recoverWithItem(e -> new Rejected(e.getMessage()));
    }

    Uni<BookingOutcome> bookUnavailable(String orderId, ShippingAddress address, List<OrderLine> items) {
        return Uni.createFrom().item(new Unavailable("carrier unavailable (timeout, errors or open circuit)"));
    }

    /** A cancellation must not be given up: failures propagate, and the consumer retries the whole step. */
    @AsynchronousNonBlocking
    @Timeout(2000)
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 2000)
    public Uni<Void> cancel(String shipmentId) {
        return carrier.cancel(shipmentId).replaceWithVoid();
    }

    /** Cancels whatever was booked with the order's key, and makes the key unusable; failures propagate. */
    @AsynchronousNonBlocking
    @Timeout(2000)
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 2000)
    public Uni<Void> cancelByKey(String orderId) {
        return carrier.cancelByKey(bookingKey(orderId)).replaceWithVoid();
    }
}
