package io.sagashop.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs jobs concurrently across keys and strictly one after another per key, with at most {@code maxInFlight}
 * jobs admitted at a time. For the saga: records of different orders proceed in parallel (a slow provider call for
 * one order does not hold up the others), records of one order keep their order.
 */
final class KeyedDispatcher {

    private final int maxInFlight;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Queue<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private int inFlight;

    KeyedDispatcher(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /**
     * Admits a job: the returned Uni completes once there is room (so that a caller that waits for it stops pulling
     * records when the service is saturated); the job itself runs after the key's previous job has finished.
     */
    Uni<Void> submit(String key, Supplier<Uni<Void>> job) {
        return admission().invoke(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Void> previous = tails.put(key, done);
            CompletableFuture<Void> ready = previous == null ? CompletableFuture.completedFuture(null) : previous;
            ready.whenComplete((ignored, alsoIgnored) -> Uni.createFrom().deferred(job::get).subscribe().with(
                    ok -> finish(key, done),
                    failure -> finish(key, done))); // whatever happens, the key and the slot are given back
        });
    }

    private void finish(String key, CompletableFuture<Void> done) {
        tails.remove(key, done);
        done.complete(null);
        release();
    }

    private Uni<Void> admission() {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                if (inFlight < maxInFlight) {
                    inFlight++;
                } else {
                    waiting.add(emitter);
                    return;
                }
            }
            emitter.complete(null);
        });
    }

    private void release() {
        UniEmitter<? super Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.complete(null); // the slot passes straight to the next waiting record
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
