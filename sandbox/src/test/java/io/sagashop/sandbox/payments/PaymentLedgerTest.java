package io.sagashop.sandbox.payments;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaymentLedgerTest {

    private final PaymentLedger ledger = new PaymentLedger();

    @Test
    void anyOrdinaryTokenIsApproved() {
        Charge visa = approved(ledger.charge("k1", "o1", amount("42.50"), "tok_visa"));
        Charge other = approved(ledger.charge("k2", "o1", amount("1"), "tok_whatever"));

        assertTrue(visa.chargeId().startsWith("ch_"));
        assertAmount("42.50", visa.amount());
        assertFalse(visa.chargeId().equals(other.chargeId()));
    }

    @Test
    void sameKeyReturnsTheSameChargeAndChargesOnce() {
        Charge first = approved(ledger.charge("k1", "o1", amount("10"), "tok_visa"));
        Charge again = approved(ledger.charge("k1", "o1", amount("10"), "tok_visa"));

        assertEquals(first.chargeId(), again.chargeId());
        LedgerView view = ledger.ledger("o1");
        assertEquals(1, view.charges().size());
        assertAmount("10", view.charged());
    }

    @Test
    void concurrentChargesWithOneKeyChargeOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ChargeResult>> attempts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                attempts.add(() -> ledger.charge("k1", "o1", amount("10"), "tok_visa"));
            }
            Set<String> chargeIds = new HashSet<>();
            for (Future<ChargeResult> result : pool.invokeAll(attempts)) {
                chargeIds.add(approved(result.get()).chargeId());
            }
            assertEquals(1, chargeIds.size());
            assertAmount("10", ledger.ledger("o1").charged());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void declineIsRememberedForTheKeyAndChargesNothing() {
        ChargeResult first = ledger.charge("k1", "o1", amount("10"), "tok_decline");
        ChargeResult again = ledger.charge("k1", "o1", amount("10"), "tok_decline");

        assertEquals(new ChargeResult.Declined("card declined"), first);
        assertEquals(first, again);
        assertTrue(ledger.ledger("o1").charges().isEmpty());
    }

    @Test
    void unavailableTokenChangesNothing() {
        assertInstanceOf(ChargeResult.Unavailable.class, ledger.charge("k1", "o1", amount("10"), "tok_unavailable"));
        assertInstanceOf(ChargeResult.Unavailable.class, ledger.charge("k1", "o1", amount("10"), "tok_unavailable"));

        assertTrue(ledger.ledger("o1").charges().isEmpty());
        approved(ledger.charge("k1", "o1", amount("10"), "tok_visa"));
    }

    @Test
    void onlyTheSlowTokenIsDelayed() {
        assertEquals(Duration.ofSeconds(10), ledger.responseDelay("tok_slow"));
        assertEquals(Duration.ZERO, ledger.responseDelay("tok_visa"));
        assertEquals(Duration.ZERO, ledger.responseDelay("tok_decline"));
    }

    @Test
    void voidBeforeChargeBlocksALaterCharge() {
        assertAmount("0", ledger.voidCharge("k1"));

        // this is also what a slow charge sees when it completes after its key was voided
        assertInstanceOf(ChargeResult.Voided.class, ledger.charge("k1", "o1", amount("10"), "tok_visa"));
        assertTrue(ledger.ledger("o1").charges().isEmpty());
    }

    @Test
    void voidAfterChargeReversesIt() {
        Charge charge = approved(ledger.charge("k1", "o1", amount("50"), "tok_visa"));

        assertAmount("50", ledger.voidCharge("k1"));

        LedgerView view = ledger.ledger("o1");
        assertAmount("0", view.charged());
        assertAmount("50", view.refunded());
        LedgerView.Entry entry = view.charges().get(0);
        assertEquals(charge.chargeId(), entry.chargeId());
        assertTrue(entry.voided());
        assertAmount("50", entry.refunded());
        assertInstanceOf(ChargeResult.Voided.class, ledger.charge("k1", "o1", amount("50"), "tok_visa"));
    }

    @Test
    void voidIsIdempotent() {
        approved(ledger.charge("k1", "o1", amount("50"), "tok_visa"));

        assertAmount("50", ledger.voidCharge("k1"));
        assertAmount("50", ledger.voidCharge("k1"));

        assertAmount("50", ledger.ledger("o1").refunded());
    }

    @Test
    void voidAfterAPartialRefundReversesOnlyTheRest() {
        Charge charge = approved(ledger.charge("k1", "o1", amount("100"), "tok_visa"));
        refunded(ledger.refund("r1", charge.chargeId(), amount("30")));

        assertAmount("70", ledger.voidCharge("k1"));

        assertAmount("100", ledger.ledger("o1").refunded());
    }

    @Test
    void voidOfADeclinedKeyBlocksItToo() {
        ledger.charge("k1", "o1", amount("10"), "tok_decline");

        assertAmount("0", ledger.voidCharge("k1"));

        assertInstanceOf(ChargeResult.Voided.class, ledger.charge("k1", "o1", amount("10"), "tok_visa"));
    }

    @Test
    void refundIsIdempotent() {
        Charge charge = approved(ledger.charge("k1", "o1", amount("100"), "tok_visa"));

        Refund first = refunded(ledger.refund("r1", charge.chargeId(), amount("20")));
        Refund again = refunded(ledger.refund("r1", charge.chargeId(), amount("20")));

        assertTrue(first.refundId().startsWith("re_"));
        assertEquals(first, again);
        assertAmount("20", ledger.ledger("o1").refunded());
        assertAmount("100", ledger.ledger("o1").charged());
    }

    @Test
    void refundOfAnUnknownChargeIsRejected() {
        assertInstanceOf(RefundResult.UnknownCharge.class, ledger.refund("r1", "ch_nope", amount("1")));
    }

    @Test
    void refundBeyondWhatIsLeftIsRejected() {
        Charge charge = approved(ledger.charge("k1", "o1", amount("100"), "tok_visa"));
        refunded(ledger.refund("r1", charge.chargeId(), amount("60")));

        RefundResult tooMuch = ledger.refund("r2", charge.chargeId(), amount("40.01"));

        assertInstanceOf(RefundResult.ExceedsRefundable.class, tooMuch);
        assertAmount("40", ((RefundResult.ExceedsRefundable) tooMuch).refundable());
        refunded(ledger.refund("r3", charge.chargeId(), amount("40")));
        assertAmount("100", ledger.ledger("o1").refunded());
    }

    @Test
    void aRejectedRefundKeyCanBeRetriedWithAValidAmount() {
        Charge charge = approved(ledger.charge("k1", "o1", amount("10"), "tok_visa"));

        assertInstanceOf(RefundResult.ExceedsRefundable.class, ledger.refund("r1", charge.chargeId(), amount("11")));

        refunded(ledger.refund("r1", charge.chargeId(), amount("10")));
    }

    @Test
    void aVoidedChargeHasNothingLeftToRefund() {
        Charge charge = approved(ledger.charge("k1", "o1", amount("10"), "tok_visa"));
        ledger.voidCharge("k1");

        assertInstanceOf(RefundResult.ExceedsRefundable.class, ledger.refund("r1", charge.chargeId(), amount("1")));
    }

    @Test
    void theLedgerIsPerOrderAndInChargeOrder() {
        Charge a = approved(ledger.charge("k1", "o1", amount("1"), "tok_visa"));
        approved(ledger.charge("k2", "o2", amount("2"), "tok_visa"));
        Charge c = approved(ledger.charge("k3", "o1", amount("3"), "tok_visa"));

        LedgerView view = ledger.ledger("o1");

        assertEquals("o1", view.orderId());
        assertEquals(List.of(a.chargeId(), c.chargeId()),
                view.charges().stream().map(LedgerView.Entry::chargeId).collect(Collectors.toList()));
        assertAmount("4", view.charged());
        assertAmount("0", view.refunded());
        assertTrue(ledger.ledger("unknown").charges().isEmpty());
    }

    @Test
    void clearForgetsEverything() {
        ledger.charge("k1", "o1", amount("1"), "tok_visa");
        ledger.voidCharge("k2");

        ledger.clear();

        assertTrue(ledger.ledger("o1").charges().isEmpty());
        approved(ledger.charge("k2", "o1", amount("1"), "tok_visa"));
    }

    private static Charge approved(ChargeResult result) {
        return assertInstanceOf(ChargeResult.Approved.class, result).charge();
    }

    private static Refund refunded(RefundResult result) {
        return assertInstanceOf(RefundResult.Refunded.class, result).refund();
    }

    private static BigDecimal amount(String value) {
        return new BigDecimal(value);
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }
}
