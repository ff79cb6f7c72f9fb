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
    /** The certificate was handed to the endpoint's agent to write, reload and report. */
    public static final String DEPLOYMENT_HANDED_TO_AGENT = "deployment-handed-to-agent";
    /** The agent reported a failed deployment (it rolled its files back on the host). */
    public static final String AGENT_DEPLOYMENT_FAILED = "agent-deployment-failed";
    /** The deployer refused a path outside the allowed directories: nothing was written, a person takes over. */
    public static final String DEPLOYMENT_REFUSED = "deployment-refused";

    public static final String DEPLOYMENT_ROLLED_BACK = "deployment-rolled-back";
    public static final String DEPLOYMENT_VERIFIED = "deployment-verified";
    public static final String EXECUTIVES_BRIEFED = "executives-briefed";
    public static final String EXPECTED_CERTIFICATE_CHECKED = "expected-certificate-checked";
    public static final String ISSUANCE_PENDING = "issuance-pending";
    public static final String INVESTIGATION_VERIFIED = "investigation-verified";
    public static final String BREAK_GLASS_EMERGENCY_CERTIFICATE_REPLACED =
            "break-glass-emergency-certificate-replaced";
    public static final String NO_RUNBOOK = "no-runbook";
    /** The runbook waits to close: a close guard (an unreviewed break-glass) objects; detail names why. */
    public static final String CLOSE_WAITING = "close-waiting";
    /** The standard replacement of a break-glass's emergency certificate failed; a person decides. */
    public static final String BREAK_GLASS_STANDARD_REPLACEMENT_FAILED = "break-glass-standard-replacement-failed";

    public static final String OWNER_RECORDED = "owner-recorded";
    public static final String OWNERSHIP_IDENTIFIED = "ownership-identified";
    public static final String POST_INCIDENT_REVIEW = "post-incident-review";
    /** An open incident had no running runbook at start: one was started. */
    public static final String RUNBOOK_RESTARTED = "runbook-restarted";
    /** A commander's resolve or close reached the runbook as a message. */
    public static final String RUNBOOK_NOTIFIED = "runbook-notified";
    /** Who completed a runbook's task and what they wrote. */
    public static final String TASK_COMPLETED = "task-completed";

    /** Trust mismatch: the chain as sent and whether CertLoop holds it. */
    public static final String CHAIN_INSPECTED = "chain-inspected";
    /** The key or certificate and the endpoints presenting it. */
    public static final String KEY_EXPOSURE_MAPPED = "key-exposure-mapped";
    /** Revocation propagation: every endpoint whose latest probe presents the certificate or its key, and why. */
    public static final String VERIFIER_POPULATION_MAPPED = "verifier-population-mapped";
    /** Revocation propagation: the approved plan's message, sent to the owners and partner contacts. */
    public static final String REPLACEMENT_PLAN_SENT = "replacement-plan-sent";
    /** CertLoop's internal CA revoked certificates for the incident. */
    public static final String CERTIFICATES_REVOKED = "certificates-revoked";
    /** One affected endpoint replaced (or left to a person). */
    public static final String ENDPOINT_REPLACED = "endpoint-replaced";
    /** What the CA's revocation service answered. */
    public static final String REVOCATION_CONFIRMED = "revocation-confirmed";
    /** The certificate presented against policy. */
    public static final String MIS_ISSUANCE_IDENTIFIED = "mis-issuance-identified";
    /** Another CA issued the mis-issued certificate: that CA revokes it. */
    public static final String MIS_ISSUED_NOT_REVOKED = "mis-issued-not-revoked";
    /** Key compromise: 20 of the 24 hours passed without revocation. */
    public static final String REVOCATION_DEADLINE_NEAR = "revocation-deadline-near";
    /** A probe finding came back within the reopen grace after the incident was resolved. */
    public static final String FINDING_RETURNED = "finding-returned";

    /** A waiting runbook: its issuer is down and it waits on that issuer's ca-outage incident (named in detail). */
    public static final String WAITING_ON_CA_OUTAGE = "waiting-on-ca-outage";
    /** A ca-outage incident: a runbook (named in detail) waits on it. */
    public static final String RUNBOOK_WAITING = "runbook-waiting";
    /** A ca-outage incident: the issuer answered its health check again. */
    public static final String ISSUER_RECOVERED = "issuer-recovered";
    /** A waiting runbook (or the ca-outage incident): the runbooks that waited were resumed. */
    public static final String RUNBOOKS_RESUMED = "runbooks-resumed";
    /** An incident commander asked to use the configured fallback issuer while the issuer is down. */
    public static final String FALLBACK_REQUESTED = "fallback-requested";
    /** An approver decided on the fallback issuer (approved or declined, in detail). */
    public static final String FALLBACK_DECIDED = "fallback-decided";

    private TimelineTypes() {}
}
