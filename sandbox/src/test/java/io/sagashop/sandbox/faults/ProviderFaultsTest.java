package io.sagashop.sandbox.faults;

import io.sagashop.sandbox.ErrorResponse;
import io.sagashop.sandbox.JsonResponses;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderFaultsTest {

    private final ProviderFaults faults = new ProviderFaults();

    @Test
    void knobsStartAtZero() {
        assertEquals(new FaultsView(FaultKnobs.NONE, FaultKnobs.NONE), faults.view());
        assertEquals(new CallCounts(0, 0), faults.callCounts());
    }

    @Test
    void knobsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> FaultKnobs.of(null, 0));
        assertThrows(IllegalArgumentException.class, () -> FaultKnobs.of(0.5, null));
        assertThrows(IllegalArgumentException.class, () -> FaultKnobs.of(-0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> FaultKnobs.of(1.01, 0));
        assertThrows(IllegalArgumentException.class, () -> FaultKnobs.of(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> FaultKnobs.of(0.5, -1));
        assertEquals(new FaultKnobs(1.0, 250), FaultKnobs.of(1.0, 250));
        assertEquals(new FaultKnobs(0.0, 0), FaultKnobs.of(0.0, 0));
    }

    @Test
    void knobsAreSetPerTargetAndCleared() {
        faults.configure(FaultTarget.CARRIER, new FaultKnobs(0.25, 100));

        assertEquals(new FaultsView(FaultKnobs.NONE, new FaultKnobs(0.25, 100)), faults.view());
        assertEquals(new FaultsView(FaultKnobs.NONE, FaultKnobs.NONE), faults.clearKnobs());
    }

    @Test
    void errorRateZeroNeverFailsAndOneAlwaysFails() {
        for (int i = 0; i < 1000; i++) {
            assertFalse(faults.shouldFail(new FaultKnobs(0.0, 0)));
            assertTrue(faults.shouldFail(new FaultKnobs(1.0, 0)));
        }
    }

    @Test
    void anInjectedFaultAnswers503WithoutRunningTheCall() {
        faults.configure(FaultTarget.PAYMENTS, new FaultKnobs(1.0, 0));
        AtomicInteger ran = new AtomicInteger();

        RestResponse<String> response = guard(FaultTarget.PAYMENTS, ran);

        assertEquals(503, response.getStatus());
        assertEquals(new ErrorResponse("injected fault"), response.getEntity());
        assertEquals(0, ran.get());
    }

    @Test
    void withoutFaultsTheCallRuns() {
        AtomicInteger ran = new AtomicInteger();

        RestResponse<String> response = guard(FaultTarget.CARRIER, ran);

        assertEquals(200, response.getStatus());
        assertEquals(1, ran.get());
    }

    @Test
    void everyGuardedCallIsCountedPerTargetIncludingInjectedFailures() {
        faults.configure(FaultTarget.PAYMENTS, new FaultKnobs(1.0, 0));
        AtomicInteger ran = new AtomicInteger();

        guard(FaultTarget.PAYMENTS, ran);
        guard(FaultTarget.PAYMENTS, ran);
        guard(FaultTarget.CARRIER, ran);

        assertEquals(new CallCounts(2, 1), faults.callCounts());
        assertEquals(new CallCounts(0, 0), faults.clearCalls());
    }

    private RestResponse<String> guard(FaultTarget target, AtomicInteger ran) {
        return faults.guard(target, () -> {
            ran.incrementAndGet();
            return JsonResponses.now(JsonResponses.json(200, "ok"));
        }).await().atMost(Duration.ofSeconds(5));
    }
}
