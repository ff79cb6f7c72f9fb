package io.certloop.deployment;

import java.time.Instant;
import java.util.List;

/**
 * The evidence of a deployment or a rollback: which files now hold what, what the reload action
 * did and whether the service answered. A failed or timed-out reload is an outcome here, so the
 * runbook can route it to rollback; it is never swallowed.
 *
 * @param deploymentId the idempotency key of the deployment
 * @param operation deploy or rollback
 * @param outcome how it ended
 * @param files one entry per file of the target
 * @param reload what the reload action did
 * @param serviceCheck whether the service answered afterwards; {@code null} when no address was
 *     given or the reload failed
 * @param startedAt when the operation started
 * @param finishedAt when it finished
 */
public record DeploymentResult(
        String deploymentId,
        Operation operation,
        Outcome outcome,
        List<DeployedFile> files,
        ReloadResult reload,
        ServiceCheck serviceCheck,
        Instant startedAt,
        Instant finishedAt) {

    public DeploymentResult {
        files = List.copyOf(files);
    }

    /** Files were written (or restored), the reload succeeded and the service answered (if asked). */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** What was done. */
    public enum Operation {
        DEPLOY,
        ROLLBACK
    }

    /** How it ended; everything but {@link #SUCCEEDED} leaves the new files on disk for rollback. */
    public enum Outcome {
        /** Files in place, reload exited 0, the service answered (or no address was given). */
        SUCCEEDED,
        /** The reload action exited non-zero: the service most likely still runs the old files. */
        RELOAD_FAILED,
        /** The reload action was killed after the reload timeout. */
        RELOAD_TIMED_OUT,
        /** The reload action succeeded but the service did not accept connections in time. */
        SERVICE_NOT_ANSWERING
    }
}
