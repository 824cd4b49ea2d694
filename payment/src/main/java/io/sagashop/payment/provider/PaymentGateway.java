package io.sagashop.payment.provider;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.*;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.math.BigDecimal;

/**
 * The payment provider behind timeout, retry with exponential backoff and jitter, a circuit breaker and a bulkhead.
 * A decline is a normal answer (the circuit stays closed); "unavailable" (timeouts, 5xx, an open circuit, a full
 * bulkhead) is turned into an {@link Unavailable} outcome by the fallback: the breaker and bulkhead protect the
 * provider, and the caller decides what unavailable means for the order (wait, up to its deadline). Thresholds are
 * configuration (application.properties).
 * <p>
 * Every call carries an idempotency key derived from the order, so a retried or repeated charge is one charge.
 */
@ApplicationScoped
public class PaymentGateway {

    public sealed interface ChargeOutcome {
    }

    public record Approved(String chargeId, BigDecimal amount) implements ChargeOutcome {
    }

    public record Declined(String reason) implements ChargeOutcome {
    }

    public record Unavailable(String reason) implements ChargeOutcome {
    }

    private final PaymentProviderClient provider;

    PaymentGateway(@RestClient PaymentProviderClient provider) {
        this.provider = provider;
    }

    public static String chargeKey(String orderId) {
        return "charge-" + orderId;
    }

    @AsynchronousNonBlocking
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = {ProviderUnavailableException.class, TimeoutException.class,
            jakarta.ws.rs.ProcessingException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 1000)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 5000, successThreshold = 2)
    @CircuitBreakerName("payment-provider")
    @Bulkhead(value = 8, waitingTaskQueue = 16)
    @Fallback(fallbackMethod = "chargeUnavailable")
    public Uni<ChargeOutcome> charge(String orderId, BigDecimal amount, String token) {
        return provider.charge(new PaymentProviderClient.ChargeRequest(chargeKey(orderId), orderId, amount, token))
                .map(c -> (ChargeOutcome) new Approved(c.chargeId(), c.amount()))
                .onFailure(ChargeDeclinedException.class).recoverWithItem(e -> new Declined(e.getMessage()));
    }

    Uni<ChargeOutcome> chargeUnavailable(String orderId, BigDecimal amount, String token) {
        return Uni.createFrom().item(new Unavailable("payment provider unavailable (timeout, errors or open circuit)"));
    }

    /** Reverses whatever a timed-out charge may still have done at the provider; failures propagate. */
    @AsynchronousNonBlocking
    @Timeout(2000)
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 2000)
    public Uni<Void> voidCharge(String orderId) {
        return provider.voidCharge(chargeKey(orderId)).replaceWithVoid();
    }

    /** A refund must not be given up: failures propagate, and the consumer retries the whole step. */
    @AsynchronousNonBlocking
    @Timeout(2000)
    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 2000)
    public Uni<String> refund(String orderId, String chargeId, BigDecimal amount) {
        return provider.refund(new PaymentProviderClient.RefundRequest("refund-" + orderId, chargeId, amount))
                .map(PaymentProviderClient.Refund::refundId);
    }
}
