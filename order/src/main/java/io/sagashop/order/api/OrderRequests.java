package io.sagashop.order.api;

import io.sagashop.contracts.PaymentTokenSeal;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.OrderPlaced;
import io.sagashop.contracts.events.ShippingAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.*;

import java.time.Instant;
import java.util.List;

/** Request bodies of the order API, validated before anything is stored or published. */
public final class OrderRequests {

    private OrderRequests() {
    }

    /** {@code customerId}: a customer's own comes from the token (a different one is refused); an admin names one. */
    public record PlaceOrder(
            @Size(min = 1, max = 64) String customerId,
            @Email @Size(max = 254) String email,
            @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Item> items,
            @NotBlank @Size(max = 64) String paymentToken,
            @NotNull @Valid Address shippingAddress) {

        PlaceOrder forCustomer(String customer) {
            return new PlaceOrder(customer, email, items, paymentToken, shippingAddress);
        }

        /** The event never carries the token itself: people see it masked, payment opens the sealed form. */
        OrderPlaced toEvent(String orderId, Instant deadline, PaymentTokenSeal seal) {
            return new OrderPlaced(customerId, email,
                    items.stream().map(i -> new OrderLine(i.sku(), i.quantity().intValue())).toList(),
                    PaymentTokenSeal.mask(paymentToken), seal.seal(orderId, paymentToken), shippingAddress.toEvent(), deadline);
        }
    }

    /** {@code quantity} is a Long so that an absurd number is reported as out of range, not as unreadable JSON. */
    public record Item(@NotBlank @Size(min = 1, max = 64) String sku, @NotNull @Min(1) @Max(1000) Long quantity) {
    }

    public record Address(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 200) String street,
                          @NotBlank @Size(max = 100) String city, @NotBlank @Size(max = 20) String postalCode,
                          @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 alpha-2 code like DE") String country) {
        ShippingAddress toEvent() {
            return new ShippingAddress(name, street, city, postalCode, country);
        }
    }
}
