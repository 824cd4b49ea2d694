package io.sagashop.readmodel.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Summing deltas (the read model writes one per batch): the sum of an order's steps is the step from start to end. */
class ViewDeltaTest {

    /** The documents an order goes through, one per event, and the deltas between them. */
    private static List<ViewDelta> steps(List<ProjectedEvent> events) {
        List<ViewDelta> deltas = new ArrayList<>();
        OrderDocument before = null;
        for (int i = 1; i <= events.size(); i++) {
            OrderDocument after = OrderDocuments.project("o-1", events.subList(0, i));
            deltas.add(ViewDelta.between(before, after));
            before = after;
        }
        return deltas;
    }

    @Test
    void theStepsOfACompletedOrderSumToOneCompletedOrderWithItsSales() {
        ViewDelta sum = steps(OrderDocumentsTest.happy()).stream().reduce(ViewDelta.NONE, ViewDelta::plus);

        assertEquals(1, sum.orders());
        assertEquals(0, new BigDecimal("24.30").compareTo(sum.revenue()));
        assertEquals(Map.of("COMPLETED", 1), sum.byStatus(), "PENDING, RESERVED, PAID came and went");
        assertEquals(2, sum.products().get("MUG").units());
        assertEquals("Tea", sum.products().get("TEA").name());
        assertEquals(1, sum.customers().get("c-1").completed());
        assertEquals(0, new BigDecimal("24.30").compareTo(sum.customers().get("c-1").spend()));
    }

    @Test
    void aCaptureThatIsRefundedSumsToACancelledOrderWithNoRevenueAndNoSales() {
        List<ProjectedEvent> events = OrderDocumentsTest.shippingFailed();
        ViewDelta sum = steps(events).stream().reduce(ViewDelta.NONE, ViewDelta::plus);

        assertEquals(ViewDelta.between(null, OrderDocuments.project("o-1", events)).byStatus(), sum.byStatus());
        assertEquals(Map.of("CANCELLED", 1), sum.byStatus());
        assertEquals(0, sum.revenue().signum(), "captured, then refunded");
        assertTrue(sum.products().isEmpty(), "nothing was sold");
        assertEquals(1, sum.customers().get("c-1").cancelled());
        assertEquals(0, sum.customers().get("c-1").spend().signum());
    }

    @Test
    void twoOrdersAddUp() {
        ViewDelta one = steps(OrderDocumentsTest.happy()).stream().reduce(ViewDelta.NONE, ViewDelta::plus);
        ViewDelta two = one.plus(one);
        assertEquals(2, two.orders());
        assertEquals(Map.of("COMPLETED", 2), two.byStatus());
        assertEquals(4, two.products().get("MUG").units());
        assertEquals(2, two.customers().get("c-1").orders());
        assertEquals(0, new BigDecimal("48.60").compareTo(two.revenue()));
    }
}
