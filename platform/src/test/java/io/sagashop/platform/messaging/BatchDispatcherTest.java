package io.sagashop.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** The consumers' batching: order per key, batches that grow while the slots are busy, no head-of-line blocking, bounded admission. */
class BatchDispatcherTest {

    /** Batches that stay open until the test finishes them, one at a time. */
    static final class Batches {
        final List<List<String>> started = new CopyOnWriteArrayList<>();
        final List<UniEmitter<? super Void>> open = new CopyOnWriteArrayList<>();

        Uni<Void> run(List<String> batch) {
            started.add(List.copyOf(batch));
            return Uni.createFrom().emitter(open::add);
        }

        void finishOldest() {
            open.remove(0).complete(null);
        }
    }

    private static void submitted(Uni<Void> admission) {
        admission.await().atMost(Duration.ofSeconds(1));
    }

    @Test
    void recordsQueuedWhileTheSlotIsBusyBecomeItsNextBatchEachOrderInOrder() {
        Batches batches = new Batches();
        BatchDispatcher<String> dispatcher = new BatchDispatcher<>(1, 100, 100, batches::run);

        submitted(dispatcher.submit("order-1", "a1"));
        for (String job : List.of("a2", "b1", "a3", "b2")) {
            submitted(dispatcher.submit(job.startsWith("a") ? "order-1" : "order-2", job));
        }
        assertEquals(List.of(List.of("a1")), batches.started, "the first record does not wait for company");

        batches.finishOldest();
        List<String> batch = batches.started.get(1);
        assertEquals(4, batch.size(), "one batch: " + batch);
        assertTrue(batch.indexOf("a2") < batch.indexOf("a3") && batch.indexOf("b1") < batch.indexOf("b2"),
                "each order's records in their order: " + batch);
        batches.finishOldest();
        assertEquals(0, dispatcher.pending());
    }

    @Test
    void aBatchTakesAtMostBatchSizeRecords() {
        Batches batches = new Batches();
        BatchDispatcher<String> dispatcher = new BatchDispatcher<>(1, 2, 100, batches::run);
        for (int i = 0; i < 5; i++) {
            submitted(dispatcher.submit("k", "j" + i));
        }
        batches.finishOldest();
        batches.finishOldest();
        assertEquals(List.of(List.of("j0"), List.of("j1", "j2"), List.of("j3", "j4")), batches.started);
    }

    @Test
    void aSlowBatchHoldsUpOnlyItsOwnOrderWhileOthersUseTheFreeSlots() {
        Batches batches = new Batches();
        BatchDispatcher<String> dispatcher = new BatchDispatcher<>(2, 100, 100, batches::run);
        submitted(dispatcher.submit("order-1", "slow"));
        submitted(dispatcher.submit("order-1", "after-slow"));
        submitted(dispatcher.submit("order-2", "other"));
        assertEquals(List.of(List.of("slow"), List.of("other")), batches.started,
                "the second slot runs another order while the first is busy; the first order's next record waits");

        submitted(dispatcher.submit("order-3", "third"));
        assertEquals(2, batches.started.size(), "both slots busy: the third order waits for one");
        batches.open.remove(1).complete(null); // "other" ends
        assertEquals(List.of("third"), batches.started.get(2), "the freed slot goes to the next order, not behind slow");
        batches.open.remove(1).complete(null); // "third" ends
        assertEquals(3, batches.started.size(), "a slot is free, but after-slow still waits for slow");

        batches.finishOldest(); // "slow" ends
        assertEquals(List.of("after-slow"), batches.started.get(3));
    }

    @Test
    void aKeyQueuedDuringItsBatchJoinsTheNextBatchWithOtherOrders() {
        Batches batches = new Batches();
        BatchDispatcher<String> dispatcher = new BatchDispatcher<>(1, 100, 100, batches::run);
        submitted(dispatcher.submit("order-1", "a1"));
        submitted(dispatcher.submit("order-2", "b1"));
        submitted(dispatcher.submit("order-1", "a2"));
        batches.finishOldest();
        assertEquals(List.of("b1", "a2"), batches.started.get(1));
    }

    @Test
    void admissionWaitsForRoomAndAFailedBatchGivesItBack() {
        List<List<String>> started = Collections.synchronizedList(new ArrayList<>());
        List<UniEmitter<? super Void>> open = new CopyOnWriteArrayList<>();
        BatchDispatcher<String> dispatcher = new BatchDispatcher<>(1, 100, 2, batch -> {
            started.add(batch);
            return Uni.createFrom().emitter(open::add);
        });
        submitted(dispatcher.submit("k", "1"));
        submitted(dispatcher.submit("k", "2"));
        AtomicBoolean thirdAdmitted = new AtomicBoolean();
        dispatcher.submit("k", "3").subscribe().with(ok -> thirdAdmitted.set(true));
        assertFalse(thirdAdmitted.get(), "two pending records fill it: the third waits (and its caller stops pulling)");

        open.remove(0).fail(new IllegalStateException("boom")); // batch [1] fails
        assertTrue(thirdAdmitted.get(), "the failed batch's slot went to the waiting record");
        assertEquals(List.of(List.of("1"), List.of("2", "3")), started, "and the next batch ran");
    }
}
