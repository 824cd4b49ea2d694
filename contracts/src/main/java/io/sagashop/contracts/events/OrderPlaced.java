package io.sagashop.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * Starts the saga. Carries everything the participants need (payment token, address), so no participant ever calls
 * back into the order service.
 *
 * @param deadline the instant by which the order must be terminal, else it is cancelled with reason TIMEOUT
 */
public record OrderPlaced(String customerId, String email, List<OrderLine> items, String paymentToken,
                          ShippingAddress shippingAddress, Instant deadline) implements SagaEvent {
}
