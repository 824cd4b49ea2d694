package io.sagashop.sandbox.faults;

/**
 * The fault knobs of one provider.
 *
 * @param errorRate probability in [0, 1] that a provider call fails with an injected 503
 * @param latencyMs delay added before answering every provider call
 */
public record FaultKnobs(double errorRate, int latencyMs) {

    public static final FaultKnobs NONE = new FaultKnobs(0.0, 0);

    public FaultKnobs {
        // written this way round so that NaN is rejected too
        if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
            throw new IllegalArgumentException("errorRate must be between 0.0 and 1.0, was " + errorRate);
        }
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latencyMs must be >= 0, was " + latencyMs);
        }
    }

    /** Knobs from a request body whose fields may be missing. */
    public static FaultKnobs of(Double errorRate, Integer latencyMs) {
        if (errorRate == null) {
            throw new IllegalArgumentException("errorRate is required");
        }
        if (latencyMs == null) {
            throw new IllegalArgumentException("latencyMs is required");
        }
        return new FaultKnobs(errorRate, latencyMs);
    }
}
