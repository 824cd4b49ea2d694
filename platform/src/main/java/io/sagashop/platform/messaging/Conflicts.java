package io.sagashop.platform.messaging;

import io.sagashop.platform.store.SqlState;

/** Recognises PostgreSQL errors that mean "another transaction got there first: retry against fresh state". */
public final class Conflicts {

    private Conflicts() {
    }

    public static boolean isConflict(Throwable failure) {
        String state = SqlState.of(failure);
        // unique_violation, serialization_failure, deadlock_detected
        return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
    }
}
