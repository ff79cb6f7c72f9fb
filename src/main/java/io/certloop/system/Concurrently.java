package io.certloop.system;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Steps over many items on a bounded executor, waited for together; no business logic. */
public final class Concurrently {

    /**
     * Runs {@code step} for every item on {@code workers} and waits for all of them; the answers in the items' order.
     * Call it from a thread that is not one of the workers (it waits for them).
     */
    public static <T, R> List<R> map(List<T> items, Executor workers, Function<T, R> step) {
        List<CompletableFuture<R>> futures = items.stream()
                .map(item -> CompletableFuture.supplyAsync(() -> step.apply(item), workers))
                .toList();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /**
     * The first unexpected failure among concurrent steps (the later ones suppressed in it), kept while the other
     * items go on and thrown once all are done.
     */
    public static final class FirstFailure {
        private final AtomicReference<RuntimeException> first = new AtomicReference<>();

        public void add(RuntimeException e) {
            if (!first.compareAndSet(null, e)) {
                first.get().addSuppressed(e);
            }
        }

        /** Runs {@code step}, keeping what it throws; always null (for steps that answer nothing). */
        public <T> T guard(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                add(e);
            }
            return null;
        }

        public void rethrow() {
            if (first.get() != null) {
                throw first.get();
            }
        }
    }

    private Concurrently() {}
}
