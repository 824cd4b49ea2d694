package io.sagashop.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * Starts the saga. Carries everything the participants need (the payment token, sealed; the address), so no
 * participant ever calls back into the order service.
 *
 * @param paymentMethod      what a person may see of the payment token (e.g. {@code ****4242}, see PaymentTokenSeal#mask)
 * @param sealedPaymentToken the token sealed for this order under the key order and payment share (PaymentTokenSeal);
 *                           never the token itself
 * @param deadline           the instant by which the order must be terminal, else it is cancelled with reason TIMEOUT
 */
public record OrderPlaced(String customerId, String email, List<OrderLine> items, String paymentMethod,
                          String sealedPaymentToken, ShippingAddress shippingAddress, Instant deadline) implements SagaEvent {

    /** The fields of a v1 payload that v2 replaced (see Upcasters). */
    public static final String V1_PAYMENT_TOKEN = "paymentToken";
}
