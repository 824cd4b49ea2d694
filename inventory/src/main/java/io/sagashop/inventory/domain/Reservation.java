package io.sagashop.inventory.domain;

import io.sagashop.contracts.events.FailureReason;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.PricedLine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The all-or-nothing reservation decision, in plain Java. */
public final class Reservation {

    private Reservation() {
    }

    public sealed interface Decision {
    }

    /** Reserve these quantities (one per SKU, in SKU order); lines keep the customer's lines, priced. */
    public record Reserve(Map<String, Integer> quantities, List<PricedLine> lines, BigDecimal total) implements Decision {
    }

    public record Reject(FailureReason reason, String sku, String detail) implements Decision {
    }

    /** Quantity per SKU, in SKU order (the order rows are locked in, so concurrent reservations cannot deadlock). */
    public static Map<String, Integer> quantities(List<OrderLine> lines) {
        Map<String, Integer> bySku = new TreeMap<>();
        lines.forEach(l -> bySku.merge(l.sku(), l.quantity(), Integer::sum));
        return bySku;
    }

    /**
     * @param catalog the products the order names that exist (others are unknown), with current stock
     */
    public static Decision decide(List<OrderLine> lines, Map<String, Product> catalog) {
        Map<String, Integer> wanted = quantities(lines);
        for (Map.Entry<String, Integer> want : wanted.entrySet()) {
            Product product = catalog.get(want.getKey());
            if (product == null) {
                return new Reject(FailureReason.UNKNOWN_PRODUCT, want.getKey(), "no product " + want.getKey());
            }
            if (product.available() < want.getValue()) {
                return new Reject(FailureReason.OUT_OF_STOCK, want.getKey(),
                        want.getValue() + " wanted, " + product.available() + " available");
            }
        }
        List<PricedLine> priced = lines.stream().map(l -> {
            Product p = catalog.get(l.sku());
            return new PricedLine(l.sku(), p.name(), l.quantity(), p.price());
        }).toList();
        BigDecimal total = priced.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Reserve(wanted, priced, total);
    }
}
