package io.sagashop.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Function;

/**
 * Groups jobs into batches and runs up to {@code concurrency} batches at a time, keeping each key's (order's) jobs in
 * order: a key with a job in a running batch gets no other batch until that one ends. A free slot takes as its batch
 * the queued jobs of keys that are not running, oldest key first, up to {@code batchSize}. Under load batches grow,
 * so one transaction carries many records; when idle a batch is a single record and nothing waits for company.
 * <ul>
 * <li>A slow batch (a provider taking seconds) holds up only its own jobs and the later jobs of its keys; every other
 *     order goes on in the other slots. (Fixed lanes by hash would stall every order that shares the slow one's lane.)</li>
 * <li>At most {@code maxPending} jobs are admitted at a time: the Uni of {@link #submit} completes only when there
 *     is room, so a caller that waits for it stops pulling records from Kafka while the service is saturated.</li>
 * </ul>
 * The batch function must not fail: it settles (acknowledges or dead-letters) every job itself.
 */
final class BatchDispatcher<T> {

    private final int concurrency;
    private final int batchSize;
    private final int maxPending;
    private final Function<List<T>, Uni<Void>> runBatch;
    private final Queue<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private int pending;

    // Guarded by `this`: queued jobs per key, the keys that could run now (in the order they became runnable),
    // the keys in a running batch, and how many batches run.
    private final Map<String, ArrayDeque<T>> queued = new HashMap<>();
    private final LinkedHashSet<String> runnable = new LinkedHashSet<>();
    private final Set<String> running = new HashSet<>();
    private int batchesRunning;

    BatchDispatcher(int concurrency, int batchSize, int maxPending, Function<List<T>, Uni<Void>> runBatch) {
        if (concurrency < 1 || batchSize < 1 || maxPending < 1) {
            throw new IllegalArgumentException("concurrency, batch size and max pending must be at least 1");
        }
        this.concurrency = concurrency;
        this.batchSize = batchSize;
        this.maxPending = maxPending;
        this.runBatch = runBatch;
    }

    /** Admits the job (waiting for room), queues it behind its key's earlier jobs and starts a batch if a slot is free. */
    Uni<Void> submit(String key, T job) {
        return admission().invoke(() -> {
            synchronized (this) {
                queued.computeIfAbsent(key, k -> new ArrayDeque<>()).add(job);
                if (!running.contains(key)) {
                    runnable.add(key);
                }
            }
            drain();
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

    /** Starts batches while there are free slots and runnable keys. */
    private void drain() {
        while (true) {
            List<T> batch = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            synchronized (this) {
                if (batchesRunning == concurrency || runnable.isEmpty()) {
                    return;
                }
                var it = runnable.iterator();
                while (it.hasNext() && batch.size() < batchSize) {
                    String key = it.next();
                    it.remove();
                    ArrayDeque<T> jobs = queued.get(key);
                    while (!jobs.isEmpty() && batch.size() < batchSize) {
                        batch.add(jobs.poll());
                    }
                    running.add(key);
                    keys.add(key);
                }
                batchesRunning++;
            }
            Uni.createFrom().deferred(() -> runBatch.apply(batch)).subscribe().with(
                    ok -> finished(keys, batch.size()),
                    failure -> finished(keys, batch.size())); // whatever happens, the keys and the slots are given back
        }
    }

    private void finished(List<String> keys, int jobs) {
        synchronized (this) {
            batchesRunning--;
            for (String key : keys) {
                running.remove(key);
                if (queued.get(key).isEmpty()) {
                    queued.remove(key);
                } else {
                    runnable.add(key); // its next jobs queued while it ran
                }
            }
        }
        release(jobs);
        drain();
    }
}
