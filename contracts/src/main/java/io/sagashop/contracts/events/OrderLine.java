package io.sagashop.contracts.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One line of an order as the customer asked for it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderLine(String sku, int quantity) {
}
