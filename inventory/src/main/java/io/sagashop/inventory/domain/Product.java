package io.sagashop.inventory.domain;

import java.math.BigDecimal;

/** A catalog entry with its stock. */
public record Product(String sku, String name, BigDecimal price, int available, int reserved, int sold) {
}
