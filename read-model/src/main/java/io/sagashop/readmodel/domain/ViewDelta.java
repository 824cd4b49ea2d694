package io.sagashop.readmodel.domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the summary views (per-customer summaries and the stats) change when one order's document changes: what the
 * new document contributes minus what the old one did. Views maintained this way equal the sum over all documents
 * whatever order the changes came in, so a rebuild reproduces them exactly. Maps are sorted so that every
 * transaction updates rows in the same order (no deadlocks between concurrent projections).
 */
public record ViewDelta(int orders, BigDecimal revenue, Map<String, Integer> byStatus, Map<String, Sale> products,
                        Map<String, Customer> customers) {

    /** @param name the product's latest name (not summed) */
    public record Sale(String name, int units, BigDecimal revenue) {
    }

    /** @param spend money kept (captured minus refunded) over the customer's orders */
    public record Customer(int orders, int completed, int cancelled, BigDecimal spend) {
        boolean isZero() {
            return orders == 0 && completed == 0 && cancelled == 0 && spend.signum() == 0;
        }
    }

    public boolean isEmpty() {
        return orders == 0 && revenue.signum() == 0 && byStatus.isEmpty() && products.isEmpty() && customers.isEmpty();
    }

    /** No change. */
    public static final ViewDelta NONE = new ViewDelta(0, BigDecimal.ZERO, Map.of(), Map.of(), Map.of());

    /** Both changes at once: what moving the views by this, then by {@code other}, would do. */
    public ViewDelta plus(ViewDelta other) {
        Map<String, Integer> byStatus = new TreeMap<>(this.byStatus);
        other.byStatus.forEach((status, n) -> byStatus.merge(status, n, Integer::sum));
        byStatus.values().removeIf(n -> n == 0);
        Map<String, Sale> products = new TreeMap<>(this.products);
        other.products.forEach((sku, sale) -> products.merge(sku, sale, ViewDelta::add));
        products.values().removeIf(s -> s.units() == 0 && s.revenue().signum() == 0);
        Map<String, Customer> customers = new TreeMap<>(this.customers);
        other.customers.forEach((id, c) -> customers.merge(id, c, ViewDelta::add));
        customers.values().removeIf(Customer::isZero);
        return new ViewDelta(orders + other.orders, revenue.add(other.revenue), byStatus, products, customers);
    }

    private static Sale add(Sale a, Sale b) {
        return new Sale(b.name() != null ? b.name() : a.name(), a.units() + b.units(), a.revenue().add(b.revenue()));
    }

    private static Customer add(Customer a, Customer b) {
        return new Customer(a.orders() + b.orders(), a.completed() + b.completed(), a.cancelled() + b.cancelled(),
                a.spend().add(b.spend()));
    }

    /** @param before null when the order had no document yet */
    public static ViewDelta between(OrderDocument before, OrderDocument after) {
        int orders = before == null ? 1 : 0;
        BigDecimal revenue = net(after).subtract(net(before));

        Map<String, Integer> byStatus = new TreeMap<>();
        String oldStatus = before == null ? null : before.status();
        if (!Objects.equals(oldStatus, after.status())) {
            if (oldStatus != null) {
                byStatus.merge(oldStatus, -1, Integer::sum);
            }
            byStatus.merge(after.status(), 1, Integer::sum);
        }

        Map<String, Sale> products = new TreeMap<>();
        sales(before, -1, products);
        sales(after, +1, products);
        products.values().removeIf(s -> s.units() == 0 && s.revenue().signum() == 0);

        Map<String, Customer> customers = new TreeMap<>();
        customer(before, -1, customers);
        customer(after, +1, customers);
        customers.values().removeIf(Customer::isZero);
        return new ViewDelta(orders, revenue, byStatus, products, customers);
    }

    /** Money the shop kept for the order: captured minus refunded. */
    private static BigDecimal net(OrderDocument doc) {
        if (doc == null || doc.payment() == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal captured = doc.payment().capturedAmount() == null ? BigDecimal.ZERO : doc.payment().capturedAmount();
        BigDecimal refunded = doc.payment().refundedAmount() == null ? BigDecimal.ZERO : doc.payment().refundedAmount();
        return captured.subtract(refunded);
    }

    /** Units and revenue of a COMPLETED order's lines. */
    private static void sales(OrderDocument doc, int sign, Map<String, Sale> into) {
        if (doc == null || !"COMPLETED".equals(doc.status())) {
            return;
        }
        for (OrderDocument.Item item : doc.items()) {
            BigDecimal revenue = item.unitPrice() == null ? BigDecimal.ZERO
                    : item.unitPrice().multiply(BigDecimal.valueOf(item.quantity()));
            Sale sale = new Sale(item.name(), sign * item.quantity(), sign > 0 ? revenue : revenue.negate());
            into.merge(item.sku(), sale, ViewDelta::add);
        }
    }

    private static void customer(OrderDocument doc, int sign, Map<String, Customer> into) {
        if (doc == null || doc.customerId() == null) {
            return;
        }
        Customer c = new Customer(sign, "COMPLETED".equals(doc.status()) ? sign : 0,
                "CANCELLED".equals(doc.status()) ? sign : 0,
                sign > 0 ? net(doc) : net(doc).negate());
        into.merge(doc.customerId(), c, ViewDelta::add);
    }
}
