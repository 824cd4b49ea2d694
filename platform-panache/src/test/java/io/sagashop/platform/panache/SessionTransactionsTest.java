package io.sagashop.platform.panache;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A service configured with JDBC batching would never commit a step: it must not start at all. */
class SessionTransactionsTest {

    @Test
    void aServiceWithJdbcBatchingOnRefusesToStartAndSaysWhatToSet() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new SessionTransactions(null, 2));
        assertTrue(refused.getMessage().contains("statement-batch-size"), refused.getMessage());
    }

    @Test
    void withBatchingOffItStarts() {
        assertDoesNotThrow(() -> new SessionTransactions(null, 1));
    }
}
