package io.certloop.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Evidence of one run of a reload action: what ran, how it ended and what it said. Kept with the
 * deployment so that "deployed but not reloaded" can be told from "reloaded but still serving the
 * old certificate".
 *
 * @param action the configured name
 * @param command the argument vector that was executed (from server configuration)
 * @param exitCode the process exit code; {@code null} when the process was killed on timeout
 * @param output combined stdout and stderr, truncated to the configured bound
 * @param outputTruncated whether output was cut
 * @param startedAt when the process was started
 * @param duration how long it ran
 * @param timedOut whether it was killed because it exceeded the reload timeout
 * @param served how many deployments (or rollbacks) this one run reloaded for: deployments that share a
 *     reload action and wrote their files while it waited are served by one run ({@link SharedReloads})
 */
public record ReloadResult(
        String action,
        List<String> command,
        Integer exitCode,
        String output,
        boolean outputTruncated,
        Instant startedAt,
        Duration duration,
        boolean timedOut,
        int served) {

    public ReloadResult {
        command = List.copyOf(command);
        if (served < 1) {
            throw new IllegalArgumentException("a reload serves at least the deployment that ran it");
        }
    }

    /** One run for one deployment. */
    public ReloadResult(
            String action,
            List<String> command,
            Integer exitCode,
            String output,
            boolean outputTruncated,
            Instant startedAt,
            Duration duration,
            boolean timedOut) {
        this(action, command, exitCode, output, outputTruncated, startedAt, duration, timedOut, 1);
    }

    /** The same run, recorded as having served this many deployments. */
    ReloadResult servedFor(int deployments) {
        return new ReloadResult(
                action, command, exitCode, output, outputTruncated, startedAt, duration, timedOut, deployments);
    }

    /** The action ran to completion with exit code 0. */
    public boolean succeeded() {
        return !timedOut && exitCode != null && exitCode == 0;
    }
}
