package io.sagashop.sandbox.faults;

/** How many provider calls each sandbox provider received, injected failures included. */
public record CallCounts(long payments, long carrier) {
}
