package io.sagashop.inventory.domain;

import io.sagashop.contracts.events.FailureReason;
import io.sagashop.contracts.events.OrderLine;
import io.sagashop.contracts.events.PricedLine;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The all-or-nothing reservation decision. */
class ReservationTest {

    private static Product product(String sku, String name, String price, int available) {
        return new Product(sku, name, new BigDecimal(price), available, 0, 0);
    }

    private static final Product APPLE = product("A-1", "Apple", "9.90", 10);
    private static final Product BANANA = product("B-2", "Banana", "0.10", 5);

    private static Map<String, Product> catalog(Product... products) {
        Map<String, Product> bySku = new HashMap<>();
        for (Product p : products) {
            bySku.put(p.sku(), p);
        }
        return bySku;
    }

    private static OrderLine line(String sku, int quantity) {
        return new OrderLine(sku, quantity);
    }

    // ---------------------------------------------------------------- reserve

    @Test
    void allLinesAvailableAreReservedWithCatalogNamesAndPrices() {
        Reservation.Decision decision =
                Reservation.decide(List.of(line("A-1", 2), line("B-2", 1)), catalog(APPLE, BANANA));

        Reservation.Reserve reserve = assertInstanceOf(Reservation.Reserve.class, decision);
        assertEquals(List.of(
                new PricedLine("A-1", "Apple", 2, new BigDecimal("9.90")),
                new PricedLine("B-2", "Banana", 1, new BigDecimal("0.10"))), reserve.lines());
        assertEquals(Map.of("A-1", 2, "B-2", 1), reserve.quantities());
    }

    @Test
    void totalIsTheSumOfQuantityTimesUnitPriceKeepingMoneyScale() {
        Reservation.Reserve reserve = assertInstanceOf(Reservation.Reserve.class,
                Reservation.decide(List.of(line("A-1", 2), line("B-2", 1)), catalog(APPLE, BANANA)));

        // 2 x 9.90 + 1 x 0.10; exact equals checks the scale too (19.90, not 19.9 or 19.900)
        assertEquals(new BigDecimal("19.90"), reserve.total());
    }

    @Test
    void totalOfASingleLineIsQuantityTimesPrice() {
        Reservation.Reserve reserve = assertInstanceOf(Reservation.Reserve.class,
                Reservation.decide(List.of(line("B-2", 3)), catalog(BANANA)));

        assertEquals(0, new BigDecimal("0.30").compareTo(reserve.total()), "total was " + reserve.total());
    }

    @Test
    void exactlyTheAvailableStockCanBeReserved() {
        Reservation.Reserve reserve = assertInstanceOf(Reservation.Reserve.class,
                Reservation.decide(List.of(line("B-2", 5)), catalog(BANANA)));

        assertEquals(Map.of("B-2", 5), reserve.quantities());
    }

    @Test
    void oneUnitMoreThanAvailableIsOutOfStock() {
        Reservation.Reject reject = assertInstanceOf(Reservation.Reject.class,
                Reservation.decide(List.of(line("B-2", 6)), catalog(BANANA)));

        assertEquals(FailureReason.OUT_OF_STOCK, reject.reason());
        assertEquals("B-2", reject.sku());
    }

    @Test
    void pricedLinesKeepTheCustomersLinesAsOrdered() {
        // customer order B, A, A; duplicates are not merged in the priced lines
        List<OrderLine> lines = List.of(line("B-2", 1), line("A-1", 1), line("A-1", 2));

        Reservation.Reserve reserve = assertInstanceOf(Reservation.Reserve.class,
                Reservation.decide(lines, catalog(APPLE, BANANA)));

        assertEquals(List.of(
                new PricedLine("B-2", "Banana", 1, new BigDecimal("0.10")),
                new PricedLine("A-1", "Apple", 1, new BigDecimal("9.90")),
                new PricedLine("A-1", "Apple", 2, new BigDecimal("9.90"))), reserve.lines());
        assertEquals(new BigDecimal("29.80"), reserve.total());
    }

    // ---------------------------------------------------------------- duplicate SKU lines

    @Test
    void duplicateSkuLinesAreSummedAgainstStock() {
        // each line alone fits (3 <= 5), together they do not (6 > 5)
        Reservation.Reject reject = assertInstanceOf(Reservation.Reject.class,
                Reservation.decide(List.of(line("B-2", 3), line("B-2", 3)), catalog(BANANA)));

        assertEquals(FailureReason.OUT_OF_STOCK, reject.reason());
        assertEquals("B-2", reject.sku());
    }

    @Test
    void duplicateSkuLinesThatFitTogetherAreReservedAsOneQuantity() {
        Reservation.Reserve reserve = assertInstanceOf(Reservation.Reserve.class,
                Reservation.decide(List.of(line("B-2", 2), line("B-2", 3)), catalog(BANANA)));

        assertEquals(Map.of("B-2", 5), reserve.quantities());
    }

    // ---------------------------------------------------------------- unknown products

    @Test
    void unknownSkuIsRejectedAsUnknownProductNamingTheSku() {
        Reservation.Reject reject = assertInstanceOf(Reservation.Reject.class,
                Reservation.decide(List.of(line("A-1", 1), line("NOPE", 1)), catalog(APPLE)));

        assertEquals(FailureReason.UNKNOWN_PRODUCT, reject.reason());
        assertEquals("NOPE", reject.sku());
    }

    // ---------------------------------------------------------------- all or nothing, in SKU order

    @Test
    void oneFailingLineRejectsTheWholeOrder() {
        // A-1 alone would fit; the decision is still a rejection, never a partial reservation
        Reservation.Decision decision =
                Reservation.decide(List.of(line("A-1", 1), line("B-2", 99)), catalog(APPLE, BANANA));

        Reservation.Reject reject = assertInstanceOf(Reservation.Reject.class, decision);
        assertEquals(FailureReason.OUT_OF_STOCK, reject.reason());
        assertEquals("B-2", reject.sku());
    }

    @Test
    void rejectionNamesTheFirstFailingSkuInSkuOrderNotInLineOrder() {
        Product cherry = product("C-3", "Cherry", "1.00", 0);

        // lines in customer order: unknown Z-9, then out-of-stock C-3; C-3 comes first in SKU order
        Reservation.Reject outOfStock = assertInstanceOf(Reservation.Reject.class,
                Reservation.decide(List.of(line("Z-9", 1), line("C-3", 1)), catalog(cherry)));
        assertEquals(FailureReason.OUT_OF_STOCK, outOfStock.reason());
        assertEquals("C-3", outOfStock.sku());

        // lines in customer order: out-of-stock C-3, then unknown A-0; A-0 comes first in SKU order
        Reservation.Reject unknown = assertInstanceOf(Reservation.Reject.class,
                Reservation.decide(List.of(line("C-3", 1), line("A-0", 1)), catalog(cherry)));
        assertEquals(FailureReason.UNKNOWN_PRODUCT, unknown.reason());
        assertEquals("A-0", unknown.sku());
    }

    @Test
    void quantitiesAreSummedPerSkuAndIteratedInSkuOrder() {
        var quantities = Reservation.quantities(List.of(line("C-3", 1), line("A-1", 2), line("B-2", 3), line("A-1", 1)));

        assertEquals(List.of("A-1", "B-2", "C-3"), new ArrayList<>(quantities.keySet()));
        assertEquals(List.of(3, 3, 1), new ArrayList<>(quantities.values()));
    }

    @Test
    void reservedQuantitiesAreInSkuOrderSoLocksAreTakenInAGlobalOrder() {
        Product cherry = product("C-3", "Cherry", "1.00", 10);
        List<OrderLine> lines = List.of(line("C-3", 1), line("A-1", 1), line("B-2", 1));

        Reservation.Reserve reserve = assertInstanceOf(Reservation.Reserve.class,
                Reservation.decide(lines, catalog(cherry, APPLE, BANANA)));

        assertEquals(List.of("A-1", "B-2", "C-3"), new ArrayList<>(reserve.quantities().keySet()));
    }
}
