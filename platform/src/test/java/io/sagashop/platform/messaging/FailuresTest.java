package io.sagashop.platform.messaging;

import io.sagashop.contracts.EventCodec.MalformedEventException;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Poison goes to the dead-letter topic; everything that may pass is retried. */
class FailuresTest {

    @Test
    void aRecordThatBreaksTheContractIsPoison() {
        assertTrue(Failures.isPoison(new MalformedEventException("not a JSON event envelope", null)));
        assertTrue(Failures.isPoison(new PoisonRecordException("unknown schema version")));
        assertTrue(Failures.isPoison(new RuntimeException("wrapped", new NullPointerException())));
    }

    @Test
    void dataPostgresRefusesIsPoisonButALostRaceIsNot() {
        assertTrue(Failures.isPoison(pg("22P05"))); // untranslatable character
        assertTrue(Failures.isPoison(pg("23502"))); // not-null violation
        assertFalse(Failures.isPoison(pg("23505"))); // unique violation: another transaction got there first
        assertFalse(Failures.isPoison(pg("57P01"))); // admin shutdown
        assertFalse(Failures.isPoison(pg("53300"))); // too many connections
    }

    @Test
    void theSameHoldsForAnErrorHibernateReactiveRethrewAsAJdbcException() {
        // Hibernate Reactive turns the client's PgException into a java.sql.SQLException with the same SQLSTATE
        assertTrue(Failures.isPoison(new IllegalStateException(new java.sql.SQLException("too long", "22001"))));
        assertFalse(Failures.isPoison(new IllegalStateException(new java.sql.SQLException("duplicate key", "23505"))));
        assertTrue(Conflicts.isConflict(new IllegalStateException(new java.sql.SQLException("duplicate key", "23505"))));
        assertTrue(Conflicts.isConflict(new IllegalStateException(new java.sql.SQLException("deadlock", "40P01"))));
        assertFalse(Conflicts.isConflict(new IllegalStateException(new java.sql.SQLException("too long", "22001"))));
    }

    @Test
    void aProviderRefusingTheRequestItselfIsPoisonButItsOutagesAreNot() {
        assertTrue(Failures.isPoison(new WebApplicationException(400)));
        assertFalse(Failures.isPoison(new WebApplicationException(503)));
        assertFalse(Failures.isPoison(new WebApplicationException(429)));
    }

    @Test
    void outagesAndRetryLaterAreTransient() {
        assertFalse(Failures.isPoison(new IOException("Connection refused")));
        assertFalse(Failures.isPoison(new TimeoutException()));
        assertFalse(Failures.isPoison(new IllegalStateException("Pool closed")));
        assertFalse(Failures.isPoison(new RetryLater("provider unavailable")));
        assertFalse(Failures.isPoison(new RuntimeException(new RetryLater("provider unavailable"))));
    }

    private static PgException pg(String state) {
        return new PgException("error", "ERROR", state, "detail");
    }
}
