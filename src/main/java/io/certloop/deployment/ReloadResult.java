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
 */
public record ReloadResult(
        String action,
        List<String> command,
        Integer exitCode,
        String output,
        boolean outputTruncated,
        Instant startedAt,
        Duration duration,
        boolean timedOut) {

    public ReloadResult {
        command = List.copyOf(command);
    }

    /** The action ran to completion with exit code 0. */
    public boolean succeeded() {
        return !timedOut && exitCode != null && exitCode == 0;
    }
}
