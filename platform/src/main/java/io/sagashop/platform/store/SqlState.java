package io.sagashop.platform.store;

import io.vertx.sqlclient.DatabaseException;

import java.sql.SQLException;

/** The SQLSTATE PostgreSQL failed with, whether the failure came from the Vert.x client or through Hibernate Reactive. */
public final class SqlState {

    private SqlState() {
    }

    /** The first SQLSTATE in the failure's causes, or null when none came from the database. */
    public static String of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String state = own(t);
            if (state != null) {
                return state;
            }
        }
        return null;
    }

    /** The SQLSTATE of this very throwable (not its causes), or null. */
    public static String own(Throwable t) {
        if (t instanceof DatabaseException db) {
            return db.getSqlState();
        }
        // Hibernate Reactive rethrows the client's error as a JDBCException around a java.sql.SQLException
        return t instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
