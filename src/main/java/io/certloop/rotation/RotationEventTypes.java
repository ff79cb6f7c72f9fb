package io.certloop.rotation;

/** The entry types of a rotation's timeline, in one place. */
public final class RotationEventTypes {

    public static final String REQUESTED = "rotation-requested";
    public static final String APPROVED = "rotation-approved";
    public static final String REJECTED = "rotation-rejected";
    public static final String WAVE_STARTED = "wave-started";
    public static final String ENDPOINT_VERIFIED = "endpoint-verified";
    public static final String ENDPOINT_FAILED = "endpoint-failed";
    public static final String WAVE_FINISHED = "wave-finished";
    public static final String HALTED = "rotation-halted";
    public static final String HALT_DECIDED = "halt-decided";
    public static final String PAUSED = "rotation-paused";
    public static final String RESUMED = "rotation-resumed";
    public static final String FINISHED = "rotation-finished";

    private RotationEventTypes() {}
}
