package io.sagashop.sandbox.payments;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox payment provider's books and rules. Plain Java so the rules can be tested without Quarkus.
 * <p>
 * Everything about one charge idempotency key (its charge or decline, whether it was voided) lives in one immutable
 * {@link KeyState} that is only replaced inside {@link ConcurrentHashMap#compute}, so a charge, a void and a refund
 * racing on the same key are applied one after the other and never charge twice or refund twice.
 */
public final class PaymentLedger {

    public static final String TOKEN_DECLINE = "tok_decline";
    public static final String TOKEN_UNAVAILABLE = "tok_unavailable";
    public static final String TOKEN_SLOW = "tok_slow";
    public static final Duration SLOW_RESPONSE = Duration.ofSeconds(10);
    public static final String DECLINE_REASON = "card declined";

    private final ConcurrentHashMap<String, KeyState> byKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> keyByChargeId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Refund> refundsByKey = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** How long the provider takes before it decides on a charge made with this token. */
    public Duration responseDelay(String token) {
        return TOKEN_SLOW.equals(token) ? SLOW_RESPONSE : Duration.ZERO;
    }

    public ChargeResult charge(String idempotencyKey, String orderId, BigDecimal amount, String token) {
        if (TOKEN_UNAVAILABLE.equals(token)) {
            return new ChargeResult.Unavailable();
        }
        AtomicReference<ChargeResult> result = new AtomicReference<>();
        byKey.compute(idempotencyKey, (key, state) -> {
            if (state != null) {
                result.set(state.replay());
                return state;
            }
            if (TOKEN_DECLINE.equals(token)) {
                result.set(new ChargeResult.Declined(DECLINE_REASON));
                return new KeyState(null, DECLINE_REASON, null);
            }
            Charge charge = new Charge("ch_" + UUID.randomUUID(), key, orderId, amount, BigDecimal.ZERO,
                    sequence.incrementAndGet());
            keyByChargeId.put(charge.chargeId(), key);
            result.set(new ChargeResult.Approved(charge));
            return new KeyState(charge, null, null);
        });
        return result.get();
    }

    /**
     * Voids a charge idempotency key: it will never be charged, and a charge already made for it is reversed.
     *
     * @return what the void gave back; the first void's answer again when repeated
     */
    public BigDecimal voidCharge(String idempotencyKey) {
        AtomicReference<BigDecimal> reversed = new AtomicReference<>();
        byKey.compute(idempotencyKey, (key, state) -> {
            if (state == null) {
                reversed.set(BigDecimal.ZERO);
                return new KeyState(null, null, BigDecimal.ZERO);
            }
            if (state.voidedWith() != null) {
                reversed.set(state.voidedWith());
                return state;
            }
            if (state.charge() == null) {
                reversed.set(BigDecimal.ZERO);
                return new KeyState(null, state.declineReason(), BigDecimal.ZERO);
            }
            BigDecimal rest = state.charge().refundable();
            reversed.set(rest);
            return new KeyState(state.charge().plusRefunded(rest), null, rest);
        });
        return reversed.get();
    }

    public RefundResult refund(String idempotencyKey, String chargeId, BigDecimal amount) {
        Refund earlier = refundsByKey.get(idempotencyKey);
        if (earlier != null) {
            return new RefundResult.Refunded(earlier);
        }
        String chargeKey = keyByChargeId.get(chargeId);
        if (chargeKey == null) {
            return new RefundResult.UnknownCharge();
        }
        AtomicReference<RefundResult> result = new AtomicReference<>(new RefundResult.UnknownCharge());
        byKey.computeIfPresent(chargeKey, (key, state) -> {
            // checked again under the charge's key: two concurrent requests with one refund key must refund once
            Refund again = refundsByKey.get(idempotencyKey);
            if (again != null) {
                result.set(new RefundResult.Refunded(again));
                return state;
            }
            Charge charge = state.charge();
            if (amount.compareTo(charge.refundable()) > 0) {
                result.set(new RefundResult.ExceedsRefundable(charge.refundable()));
                return state;
            }
            Refund refund = new Refund("re_" + UUID.randomUUID(), idempotencyKey, chargeId, amount);
            refundsByKey.put(idempotencyKey, refund);
            result.set(new RefundResult.Refunded(refund));
            return new KeyState(charge.plusRefunded(amount), null, state.voidedWith());
        });
        return result.get();
    }

    public LedgerView ledger(String orderId) {
        List<KeyState> states = byKey.values().stream()
                .filter(state -> state.charge() != null && orderId.equals(state.charge().orderId()))
                .sorted(Comparator.comparingLong(state -> state.charge().sequence()))
                .toList();
        BigDecimal charged = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;
        for (KeyState state : states) {
            if (state.voidedWith() == null) {
                charged = charged.add(state.charge().amount());
            }
            refunded = refunded.add(state.charge().refunded());
        }
        List<LedgerView.Entry> entries = states.stream()
                .map(state -> new LedgerView.Entry(state.charge().chargeId(), state.charge().idempotencyKey(),
                        state.charge().amount(), state.charge().refunded(), state.voidedWith() != null))
                .toList();
        return new LedgerView(orderId, charged, refunded, entries);
    }

    public void clear() {
        byKey.clear();
        keyByChargeId.clear();
        refundsByKey.clear();
    }

    /**
     * @param charge        the approved charge, or null
     * @param declineReason why the charge was declined, or null
     * @param voidedWith    null unless the key was voided; then what the void gave back
     */
    private record KeyState(Charge charge, String declineReason, BigDecimal voidedWith) {

        ChargeResult replay() {
            if (voidedWith != null) {
                return new ChargeResult.Voided();
            }
            if (charge != null) {
                return new ChargeResult.Approved(charge);
            }
            return new ChargeResult.Declined(declineReason);
        }
    }
}
