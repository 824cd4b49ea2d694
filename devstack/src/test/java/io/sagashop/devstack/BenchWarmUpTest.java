package io.sagashop.devstack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bench's warm-up backs off on a box that does not keep up, instead of burying the stack under a backlog. */
class BenchWarmUpTest {

    @Test
    void aRateTheStackKeepsUpWithLeavesTheWarmUpAsPlanned() {
        assertEquals(Integer.MAX_VALUE, Bench.warmUpCeiling(80, 0, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, Bench.warmUpCeiling(80, 400, Integer.MAX_VALUE)); // 5 s of 80/s: still in step
    }

    @Test
    void aRateThatLeavesMoreThanFiveSecondsOfOrdersOpenHalvesTheRestOfTheWarmUp() {
        assertEquals(40, Bench.warmUpCeiling(80, 401, Integer.MAX_VALUE));
        assertEquals(20, Bench.warmUpCeiling(40, 3000, 40));
        assertEquals(1, Bench.warmUpCeiling(1, 100, 1));
    }

    @Test
    void theCeilingNeverRisesAgain() {
        assertEquals(25, Bench.warmUpCeiling(80, 0, 25));
        assertEquals(25, Bench.warmUpCeiling(80, 10_000, 25));
    }
}
