package io.certloop.runbook;

import java.util.List;

/**
 * What the mass-rotation runbook tells the rotation record and reads back from it. A port so delegates and
 * listeners stay thin and process tests run on a bare engine. The record decides which endpoints a wave holds,
 * whether an endpoint is rotated (never twice), whether a wave halts, and who may approve.
 */
interface RotationLog {

    /** What to do next: {@code rotate} the wave, wait while {@code paused}, or {@code done}. */
    record Plan(String step, int wave, int endpoints) {}

    Plan nextWave(String rotationId);

    /** The pending endpoints of the wave, in rotation order. */
    List<String> pendingOf(String rotationId, int wave);

    /** Rotates one endpoint (issue, deploy, reload, verify live); returns its state afterwards. */
    String rotate(String rotationId, String endpoint);

    /** True when the wave failed more than the rotation allows: the rotation is halted. */
    boolean assessWave(String rotationId, int wave);

    /**
     * @throws io.certloop.system.ForbiddenException      four eyes (the requester decides)
     * @throws io.certloop.system.InvalidRequestException a field of the decision is wrong
     * @throws io.certloop.system.ConflictException       no longer awaiting approval
     */
    boolean decide(String rotationId, String decidedBy, boolean approve, String comment);

    /** Records a commander's continue, retry or abort; returns the decision as recorded. */
    String resolveHalt(String rotationId, String decision, String decidedBy, String comment);

    void finish(String rotationId);
}
