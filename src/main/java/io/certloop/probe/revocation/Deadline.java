package io.certloop.probe.revocation;

import java.time.Duration;

/**
 * The moment a probe must be done by. Revocation fetches derive every connect and read timeout
 * from what remains, so a slow or trickling server costs at most the rest of the probe's time.
 * Elapsed time, not wall-clock time: measured with {@link System#nanoTime()}.
 */
public final class Deadline {

    private final long deadlineNanos;

    private Deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    public static Deadline after(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    public Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean passed() {
        return deadlineNanos - System.nanoTime() <= 0;
    }

    /** What remains in whole milliseconds, at least 1 (a socket timeout of 0 would mean "forever"). */
    int remainingMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining().toMillis()));
    }
}
