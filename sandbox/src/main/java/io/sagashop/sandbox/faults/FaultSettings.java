package io.sagashop.sandbox.faults;

/** The body of {@code PUT /sandbox/faults/{target}}; boxed so that a missing field is told apart from 0. */
public record FaultSettings(Double errorRate, Integer latencyMs) {
}
