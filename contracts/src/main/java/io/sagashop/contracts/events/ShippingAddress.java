package io.sagashop.contracts.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public record ShippingAddress(String name, String street, String city, String postalCode, String country) {
}
