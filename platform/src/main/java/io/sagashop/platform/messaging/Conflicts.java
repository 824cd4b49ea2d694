package io.sagashop.platform.messaging;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL errors that mean "another transaction got there first: retry against fresh state". */
public final class Conflicts {

    private Conflicts() {
    }

    public static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                String state = pg.getSqlState();
                // unique_violation, serialization_failure, deadlock_detected
                return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
            }
        }
        return false;
    }
}
