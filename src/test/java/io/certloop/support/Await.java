package io.certloop.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls until a condition yields a value: for outcomes that asynchronous runbooks produce. */
public final class Await {

    private Await() {}

    /** The first non-null value of {@code probe}, polled every 100 ms; an AssertionError after {@code timeout}. */
    public static <T> T until(Duration timeout, Supplier<T> probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within " + timeout);
    }
}
