package io.sagashop.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Keeps a step on its Vert.x context across a call that may answer on another thread (a provider call behind fault
 * tolerance: timeouts and retries fire on timers). A Hibernate Reactive session may only be used on the context it
 * was opened on, so what follows such a call must run there again.
 */
public final class StepContext {

    private StepContext() {
    }

    /** {@code call}, its item or failure delivered on the context it is subscribed on (at once when already there). */
    public static <T> Uni<T> resumeAfter(Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                return call;
            }
            return call.emitOn(task -> {
                if (Vertx.currentContext() == context) {
                    task.run();
                } else {
                    context.runOnContext(ignored -> task.run());
                }
            });
        });
    }
}
