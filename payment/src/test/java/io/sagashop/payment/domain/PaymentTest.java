package io.sagashop.payment.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

/** Payment's decisions, without Quarkus, a database or a provider. */
class PaymentTest {

    private static final Instant DEADLINE = Instant.parse("2026-12-01T10:00:30Z");
    private static final BigDecimal TOTAL = new BigDecimal("19.80");

    @Test
    void fromItsDeadlineOnAnOrderIsPastItAndWithoutOneNever() {
        Payment p = Payment.pending("o-1").withOrder("v1:sealed", DEADLINE, "c-1");
        assertFalse(p.pastDeadline(DEADLINE.minusMillis(1)));
        assertTrue(p.pastDeadline(DEADLINE));
        assertTrue(p.pastDeadline(DEADLINE.plusSeconds(60)));
        assertFalse(Payment.pending("o-2").pastDeadline(DEADLINE), "an order not yet known has no deadline here");
    }

    @Test
    void tokenAndTotalMayComeInEitherOrderAndTheSecondMakesItReadyToCharge() {
        Payment tokenFirst = Payment.pending("o-1").withOrder("v1:sealed", DEADLINE, "c-1");
        Payment totalFirst = Payment.pending("o-1").withTotal(TOTAL);

        assertFalse(tokenFirst.readyToCharge());
        assertFalse(totalFirst.readyToCharge());
        assertTrue(tokenFirst.withTotal(TOTAL).readyToCharge());
        assertTrue(totalFirst.withOrder("v1:sealed", DEADLINE, "c-1").readyToCharge());
        assertEquals(tokenFirst.withTotal(TOTAL), totalFirst.withOrder("v1:sealed", DEADLINE, "c-1"));
    }

    @Test
    void theOrderIsKeptOnceAndATotalAfterAnAttemptChangesNothing() {
        Payment known = Payment.pending("o-1").withOrder("v1:first", DEADLINE, "c-1");
        assertSame(known, known.withOrder("v1:second", DEADLINE.plusSeconds(5), "c-2"), "a redelivered OrderPlaced");

        Payment captured = known.withTotal(TOTAL).captured("ch_1", TOTAL);
        assertSame(captured, captured.withTotal(new BigDecimal("1.00")));
        assertFalse(captured.readyToCharge());
        Payment cancelled = Payment.pending("o-2").cancelled();
        assertFalse(cancelled.withTotal(TOTAL).withOrder("v1:t", DEADLINE, "c-1").readyToCharge(), "a tombstone never charges");
    }

    @Test
    void eachOutcomeRecordsWhatTheProviderDid() {
        Payment ready = Payment.pending("o-1").withOrder("v1:sealed", DEADLINE, "c-1").withTotal(TOTAL);

        Payment captured = ready.captured("ch_1", TOTAL);
        assertEquals(PaymentStatus.CAPTURED, captured.status());
        assertEquals(TOTAL, captured.amount());
        assertEquals(TOTAL, captured.captured());
        assertEquals("ch_1", captured.chargeId());
        assertEquals("ch_1", captured.providerReference());

        Payment declined = ready.declined("insufficient funds");
        assertEquals(PaymentStatus.DECLINED, declined.status());
        assertEquals(0, BigDecimal.ZERO.compareTo(declined.captured()));
        assertEquals("insufficient funds", declined.failure());
        assertEquals(PaymentStatus.FAILED, ready.failed("unavailable").status());
    }

    @Test
    void aCompensationRefundsWhatWasCapturedCancelsWhatWasNotAndConfirmsARefundAgain() {
        Payment ready = Payment.pending("o-1").withOrder("v1:sealed", DEADLINE, "c-1").withTotal(TOTAL);
        Payment captured = ready.captured("ch_1", TOTAL);

        assertEquals(Payment.Compensation.REFUND_CAPTURED, captured.compensation());
        Payment refunded = captured.fullyRefunded();
        assertEquals(PaymentStatus.REFUNDED, refunded.status());
        assertEquals(TOTAL, refunded.refunded());
        assertEquals(Payment.Compensation.CONFIRM_AGAIN, refunded.compensation());

        assertEquals(Payment.Compensation.CANCEL_BEFORE_CHARGE, ready.compensation());
        assertEquals(PaymentStatus.CANCELLED, ready.cancelled().status());
        assertEquals(Payment.Compensation.NOTHING, ready.cancelled().compensation());
        assertEquals(Payment.Compensation.NOTHING, ready.declined("no").compensation());
        assertEquals(Payment.Compensation.NOTHING, ready.failed("down").compensation());
    }

    @Test
    void onlyAttemptedPaymentsAreShown() {
        assertFalse(PaymentStatus.PENDING.attempted());
        assertFalse(PaymentStatus.CANCELLED.attempted());
        assertTrue(PaymentStatus.CAPTURED.attempted());
        assertTrue(PaymentStatus.REFUNDED.attempted());
    }
}
