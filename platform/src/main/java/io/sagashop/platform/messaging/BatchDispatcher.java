package io.sagashop.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Function;

/**
 * Groups jobs into batches: a job goes to the lane of its key (the order id), and each lane runs one batch at a time,
 * taking everything queued in it (up to {@code batchSize}) as the next batch. Under load batches grow, so one
 * transaction carries many records; when idle a batch is a single record and nothing waits for company.
 * <ul>
 * <li>One order's jobs stay in order: one key, one lane, and a lane's batches run one after another.</li>
 * <li>Lanes run in parallel, so a slow batch (a provider taking seconds) holds up only the orders of its lane.</li>
 * <li>At most {@code maxPending} jobs are admitted at a time: the Uni of {@link #submit} completes only when there
 *     is room, so a caller that waits for it stops pulling records from Kafka while the service is saturated.</li>
 * </ul>
 * The batch function must not fail: it settles (acknowledges or dead-letters) every job itself.
 */
final class BatchDispatcher<T> {

    private final Lane[] lanes;
    private final int batchSize;
    private final int maxPending;
    private final Function<List<T>, Uni<Void>> runBatch;
    private final Queue<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private int pending;

    BatchDispatcher(int lanes, int batchSize, int maxPending, Function<List<T>, Uni<Void>> runBatch) {
        if (lanes < 1 || batchSize < 1 || maxPending < 1) {
            throw new IllegalArgumentException("lanes, batch size and max pending must be at least 1");
        }
        this.lanes = new BatchDispatcher.Lane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane();
        }
        this.batchSize = batchSize;
        this.maxPending = maxPending;
        this.runBatch = runBatch;
    }

    /** Admits the job (waiting for room), queues it in its key's lane and starts that lane if it is idle. */
    Uni<Void> submit(String key, T job) {
        Lane lane = lanes[Math.floorMod(key.hashCode(), lanes.length)];
        return admission().invoke(() -> {
            lane.add(job);
            lane.drain();
        });
    }

    synchronized int pending() {
        return pending;
    }

    private Uni<Void> admission() {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                if (pending < maxPending) {
                    pending++;
                } else {
                    waiting.add(emitter);
                    return;
                }
            }
            emitter.complete(null);
        });
    }

    private void release(int jobs) {
        List<UniEmitter<? super Void>> admitted = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < jobs; i++) {
                UniEmitter<? super Void> next = waiting.poll();
                if (next == null) {
                    pending--;
                } else {
                    admitted.add(next); // the slot passes straight to the next waiting job
                }
            }
        }
        admitted.forEach(e -> e.complete(null));
    }

    private final class Lane {
        private final ArrayDeque<T> queue = new ArrayDeque<>();
        private boolean running;

        synchronized void add(T job) {
            queue.add(job);
        }

        void drain() {
            List<T> batch;
            synchronized (this) {
                if (running || queue.isEmpty()) {
                    return;
                }
                running = true;
                batch = new ArrayList<>(Math.min(queue.size(), batchSize));
                while (!queue.isEmpty() && batch.size() < batchSize) {
                    batch.add(queue.poll());
                }
            }
            Uni.createFrom().deferred(() -> runBatch.apply(batch)).subscribe().with(
                    ok -> finished(batch.size()),
                    failure -> finished(batch.size())); // whatever happens, the lane and the slots are given back
        }

        private void finished(int jobs) {
            synchronized (this) {
                running = false;
            }
            release(jobs);
            drain();
        }
    }
}
