package io.sagashop.platform.messaging;

import io.sagashop.contracts.EventCodec.MalformedEventException;
import io.sagashop.platform.store.SqlState;
import jakarta.ws.rs.WebApplicationException;

/**
 * Tells poison from transient failures. Poison can never succeed, however often it is tried: a record that breaks the
 * contract, data PostgreSQL refuses, a provider's 4xx refusal of the request itself, a programming error. Everything
 * else (a database, broker or provider that is down, slow or answering 5xx; {@link RetryLater}) is transient: the
 * record is tried again, for as long as it takes, and never dead-lettered.
 */
public final class Failures {

    private Failures() {
    }

    public static boolean isPoison(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetryLater) {
                return false;
            }
            if (t instanceof MalformedEventException || t instanceof PoisonRecordException
                    || t instanceof NullPointerException || t instanceof ClassCastException
                    || t instanceof IllegalArgumentException || t instanceof IndexOutOfBoundsException
                    || t instanceof ArithmeticException || t instanceof UnsupportedOperationException) {
                return true;
            }
            String state = SqlState.own(t);
            if (state != null) {
                // class 22: data exception (e.g. a character PostgreSQL cannot store); class 23: integrity violations
                // other than the unique violation of a lost race, which a retry resolves
                return state.startsWith("22") || (state.startsWith("23") && !"23505".equals(state));
            }
            if (t instanceof WebApplicationException web && web.getResponse() != null) {
                int status = web.getResponse().getStatus();
                return status >= 400 && status < 500 && status != 408 && status != 429;
            }
        }
        return false;
    }
}
