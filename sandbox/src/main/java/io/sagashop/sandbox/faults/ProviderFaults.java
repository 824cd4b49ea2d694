package io.sagashop.sandbox.faults;

import io.sagashop.sandbox.Delays;
import io.sagashop.sandbox.JsonResponses;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The runtime fault knobs and call counters of both sandbox providers. Every provider call goes through
 * {@link #guard}, which counts it, delays it and may fail it before the provider does anything.
 */
@ApplicationScoped
public class ProviderFaults {

    public static final String INJECTED_FAULT = "injected fault";

    // filled once in the constructor and never restructured afterwards, so EnumMap is safe to share
    private final Map<FaultTarget, AtomicReference<FaultKnobs>> knobs = new EnumMap<>(FaultTarget.class);
    private final Map<FaultTarget, AtomicLong> calls = new EnumMap<>(FaultTarget.class);

    public ProviderFaults() {
        for (FaultTarget target : FaultTarget.values()) {
            knobs.put(target, new AtomicReference<>(FaultKnobs.NONE));
            calls.put(target, new AtomicLong());
        }
    }

    /**
     * Counts a provider call, waits the configured latency, then either answers 503 {@value #INJECTED_FAULT} or runs
     * the call. The dice are rolled before the call runs, so an injected failure changes no provider state.
     */
    public <T> Uni<RestResponse<T>> guard(FaultTarget target, Supplier<Uni<RestResponse<T>>> call) {
        calls.get(target).incrementAndGet();
        FaultKnobs current = knobs(target);
        return Delays.after(Duration.ofMillis(current.latencyMs()), () -> shouldFail(current))
                .chain(fail -> {
                    if (fail) {
                        return JsonResponses.now(JsonResponses.<T>error(503, INJECTED_FAULT));
                    }
                    return call.get();
                });
    }

    public boolean shouldFail(FaultKnobs knobs) {
        return knobs.errorRate() > 0.0 && ThreadLocalRandom.current().nextDouble() < knobs.errorRate();
    }

    public FaultKnobs knobs(FaultTarget target) {
        return knobs.get(target).get();
    }

    public FaultKnobs configure(FaultTarget target, FaultKnobs newKnobs) {
        knobs.get(target).set(newKnobs);
        return newKnobs;
    }

    public FaultsView view() {
        return new FaultsView(knobs(FaultTarget.PAYMENTS), knobs(FaultTarget.CARRIER));
    }

    public FaultsView clearKnobs() {
        knobs.values().forEach(knob -> knob.set(FaultKnobs.NONE));
        return view();
    }

    public CallCounts callCounts() {
        return new CallCounts(calls.get(FaultTarget.PAYMENTS).get(), calls.get(FaultTarget.CARRIER).get());
    }

    public CallCounts clearCalls() {
        calls.values().forEach(count -> count.set(0));
        return callCounts();
    }
}
