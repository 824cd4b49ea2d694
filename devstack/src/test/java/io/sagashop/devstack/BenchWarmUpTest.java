package io.sagashop.devstack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bench's warm-up backs off on a box that does not keep up, instead of burying the stack under a backlog. */
class BenchWarmUpTest {

    private static final int NONE = Integer.MAX_VALUE;

    @Test
    void aRateTheStackKeepsUpWithLeavesTheWarmUpAsPlanned() {
        assertEquals(NONE, Bench.warmUpCeiling(80, 0, NONE));
        assertEquals(NONE, Bench.warmUpCeiling(80, 400, NONE)); // 5 s of 80/s still open: in step
    }

    @Test
    void aRateThatLeavesMoreThanFiveSecondsOfOrdersOpenIsHalvedForTheNextWindow() {
        assertEquals(40, Bench.warmUpCeiling(80, 401, NONE));
        assertEquals(20, Bench.warmUpCeiling(40, 3000, 40));
        assertEquals(1, Bench.warmUpCeiling(1, 100, 1));
    }

    @Test
    void aWindowKeptUpWithRaisesTheCeilingBackTowardsThePlan() {
        // a cold stack's first window lags: 20/s -> 10/s, then 20, 40, 80 as the stack keeps up again
        assertEquals(10, Bench.warmUpCeiling(20, 348, NONE));
        assertEquals(20, Bench.warmUpCeiling(10, 0, 10));
        assertEquals(40, Bench.warmUpCeiling(20, 0, 20));
        assertEquals(NONE, Bench.warmUpCeiling(80, 0, Integer.MAX_VALUE / 2 + 1));
    }
}
