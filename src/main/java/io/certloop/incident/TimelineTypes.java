package io.certloop.incident;

/** The kinds of timeline entries: every writer names its entry with one of these. */
public final class TimelineTypes {

    public static final String OPENED = "opened";
    /** The same alert or finding arrived again while the incident was open. */
    public static final String REPEATED = "repeated";
    /** The alert source says the condition has cleared (not proof: only verification resolves). */
    public static final String ALERT_RESOLVED = "alert-resolved";
    public static final String PROCESS_ATTACHED = "process-attached";
    public static final String RESOLVED = "resolved";
    public static final String CLOSED = "closed";

    // written by the runbooks
    public static final String CA_FAILURE = "ca-failure";
    public static final String CAUSE_CONFIRMED = "cause-confirmed";
    public static final String CERTIFICATE_ACCEPTED = "certificate-accepted";
    public static final String CERTIFICATE_DEPLOYED = "certificate-deployed";
    public static final String CERTIFICATE_ISSUED = "certificate-issued";
    public static final String CERTIFICATE_REFUSED = "certificate-refused";
    public static final String DEPLOYMENT_RELEASED = "deployment-released";
    public static final String DEPLOYMENT_ROLLED_BACK = "deployment-rolled-back";
    public static final String DEPLOYMENT_VERIFIED = "deployment-verified";
    public static final String EXECUTIVES_BRIEFED = "executives-briefed";
    public static final String EXPECTED_CERTIFICATE_CHECKED = "expected-certificate-checked";
    public static final String ISSUANCE_PENDING = "issuance-pending";
    public static final String INVESTIGATION_VERIFIED = "investigation-verified";
    public static final String NO_RUNBOOK = "no-runbook";
    public static final String OWNER_RECORDED = "owner-recorded";
    public static final String OWNERSHIP_IDENTIFIED = "ownership-identified";
    public static final String POST_INCIDENT_REVIEW = "post-incident-review";
    /** An open incident had no running runbook at start: one was started. */
    public static final String RUNBOOK_RESTARTED = "runbook-restarted";
    /** A commander's resolve or close reached the runbook as a message. */
    public static final String RUNBOOK_NOTIFIED = "runbook-notified";
    /** Who completed a runbook's task and what they wrote. */
    public static final String TASK_COMPLETED = "task-completed";

    private TimelineTypes() {
    }
}
