package io.certloop.runbook;

/**
 * What the mass-rotation runbook tells the rotation record and reads back from it. A port so delegates and
 * listeners stay thin and process tests run on a bare engine. The record decides which endpoints a wave holds,
 * whether an endpoint is rotated (never twice), whether a wave halts, and who may approve.
 */
interface RotationLog {

    /** What to do next: {@code rotate} the wave, wait while {@code paused}, or {@code done}. */
    record Plan(String step, int wave, int endpoints) {}

    Plan nextWave(String rotationId);

    /**
     * One step of the wave: its endpoints rotated together (issue, deploy, one reload per reload action, verify live),
     * each recorded as it ends; true when the wave has pending endpoints left for another step.
     */
    boolean rotateWave(String rotationId, int wave);

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
