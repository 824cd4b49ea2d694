package io.sagashop.contracts.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;

/** One reserved line, priced from the catalog at reservation time. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PricedLine(String sku, String name, int quantity, BigDecimal unitPrice) {
}
