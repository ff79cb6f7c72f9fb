package io.certloop.incident;

/** The kinds of timeline entries CertLoop itself writes; runbooks may add their own. */
public final class TimelineTypes {

    public static final String OPENED = "opened";
    /** The same alert or finding arrived again while the incident was open. */
    public static final String REPEATED = "repeated";
    /** The alert source says the condition has cleared (not proof: only verification resolves). */
    public static final String ALERT_RESOLVED = "alert-resolved";
    public static final String PROCESS_ATTACHED = "process-attached";
    public static final String RESOLVED = "resolved";
    public static final String CLOSED = "closed";

    private TimelineTypes() {
    }
}
