package io.certloop.runbook;

/**
 * Every process variable name the runbooks use, in one place. Values are facts and references, never keys.
 * Variables are for gateways, forms and people: which endpoint and which certificate a step acts on come
 * from the records ({@link RunbookRecords}).
 */
final class RunbookVariables {

    static final String INCIDENT_ID = "incidentId";
    static final String ENDPOINT = "endpoint";
    static final String CATEGORY = "category";
    static final String SUBCATEGORY = "subcategory";
    static final String SEVERITY = "severity";
    static final String RESPONSE_SLA = "responseSla";
    static final String UPDATE_CADENCE = "updateCadence";
    static final String REPLACEMENT_PATH = "replacementPath";

    static final String EXPIRY_CONFIRMED = "expiryConfirmed";
    static final String PRESENTED_SHA256 = "presentedSha256";
    static final String PRESENTED_NOT_AFTER = "presentedNotAfter";
    static final String PROBE_SUMMARY = "probeSummary";
    static final String PROBE_FINDINGS = "probeFindings";

    static final String OWNERS_KNOWN = "ownersKnown";
    static final String SERVICE_OWNER_TEAM = "serviceOwnerTeam";
    static final String SERVICE_OWNER_EMAIL = "serviceOwnerEmail";
    static final String CERTIFICATE_OWNER_TEAM = "certificateOwnerTeam";
    static final String CERTIFICATE_OWNER_EMAIL = "certificateOwnerEmail";

    static final String ISSUE_ATTEMPTS = "issueAttempts";
    static final String ISSUANCE_PENDING = "issuancePending";
    static final String ISSUANCE_REQUEST_ID = "issuanceRequestId";
    static final String POLL_AFTER = "pollAfter";
    static final String CERTIFICATE_ID = "certificateId";
    /** Shown in forms; the steps read the certificate from the records (RunbookRecords), not from here. */
    static final String ISSUED_SHA256 = "issuedSha256";
    /** The fingerprint an operator declares after replacing a certificate by hand (replace-manually form). */
    static final String DECLARED_SHA256 = "declaredSha256";

    static final String CSR_PEM = "csrPem";
    static final String CERTIFICATE_PEM = "certificatePem";
    static final String REFUSAL_REASON = "refusalReason";
    static final String CA_FAILURE_REASON = "caFailureReason";
    static final String CA_DECISION = "caDecision";
    /** True when the CA did not answer (an outage), false when it answered and refused (a person decides). */
    static final String CA_UNAVAILABLE = "caUnavailable";
    /** When the CA asked to be tried again (ISO-8601 instant), if it said. */
    static final String CA_RETRY_HINT = "caRetryHint";
    /** ISO-8601 duration before the issuer is tried again while no outage is open for it. */
    static final String CA_RETRY_AFTER = "caRetryAfter";
    /** The issuer (replacement path) the last issuance went through: the endpoint's own or an approved fallback. */
    static final String ISSUANCE_PATH = "issuancePath";
    /**
     * The issuer this runbook waits on while its ca-outage is open; set by CertLoop from the outage record, the
     * key the messages {@code issuerRecovered} and {@code fallbackIssuerApproved} are correlated by.
     */
    static final String WAITING_ON_ISSUER = "waitingOnIssuer";
    /** The ca-outage incident this runbook waits on (null when none). */
    static final String CA_OUTAGE_INCIDENT = "caOutageIncident";
    /** Configuration names a fallback issuer for this endpoint's profile. */
    static final String FALLBACK_AVAILABLE = "fallbackAvailable";
    /** ca-outage: the issuer the incident is about, from its record (null for one opened by hand). */
    static final String ISSUER = "issuer";
    /** ca-outage: some profile names a fallback issuer, so asking for one can help. */
    static final String FALLBACK_CONFIGURED = "fallbackConfigured";
    /** ca-outage: the issuer answered the last health check. */
    static final String ISSUER_ANSWERS = "issuerAnswers";
    /** ca-outage: ISO-8601 duration between health checks. */
    static final String HEALTH_CHECK_INTERVAL = "healthCheckInterval";
    /** ca-outage: the incident commander asks to use the configured fallback issuers. */
    static final String FALLBACK_REQUESTED = "fallbackRequested";
    /** ca-outage: the approver's decision on the fallback. */
    static final String FALLBACK_APPROVED = "fallbackApproved";

    static final String AUTOMATED_DEPLOYMENT = "automatedDeployment";
    static final String DEPLOY_ATTEMPTS = "deployAttempts";
    static final String DEPLOYMENT_ID = "deploymentId";
    /** ISO-8601 duration from the severity policy; absent when executives need not hear of the incident. */
    static final String NOTIFY_EXECUTIVES_WITHIN = "notifyExecutivesWithin";
    /** From the severity policy: page the incident commanders as soon as the incident opens. */
    static final String PAGE_INCIDENT_COMMANDER = "pageIncidentCommander";

    static final String DEPLOYMENT_SUCCEEDED = "deploymentSucceeded";
    static final String DEPLOYMENT_OUTCOME = "deploymentOutcome";
    static final String RELOAD_EXIT_CODE = "reloadExitCode";

    static final String VERIFY_ATTEMPTS = "verifyAttempts";
    static final String VERIFIED = "verified";
    static final String VERIFICATION_SUMMARY = "verificationSummary";

    static final String EXPECTED_DEPLOYABLE = "expectedDeployable";

    /** Trust mismatch: the chain as sent, whether it links up without gaps, whether CertLoop holds it to redeploy. */
    static final String PRESENTED_CHAIN = "presentedChain";

    static final String CHAIN_COMPLETE = "chainComplete";
    static final String CHAIN_HELD = "chainHeld";

    /** Key compromise: the custody key, the internal CA's serials for it, the endpoints presenting it (comma lists). */
    static final String COMPROMISED_KEY_ID = "compromisedKeyId";

    static final String COMPROMISED_SERIALS = "compromisedSerials";
    static final String AFFECTED_ENDPOINTS = "affectedEndpoints";
    /** The multi-instance element: one endpoint presenting the compromised key. */
    static final String AFFECTED_ENDPOINT = "affectedEndpoint";

    static final String ENDPOINTS_NEEDING_HANDS = "endpointsNeedingHands";
    /** The affected endpoints replaced and verified so far (a loop resumed after waiting on the issuer skips them). */
    static final String ENDPOINTS_REPLACED = "endpointsReplaced";

    static final String REVOKED_AT = "revokedAt";

    /** Revocation propagation: the CA's answer as text, the subcategory it points to, the approved order. */
    static final String REVOCATION_EVIDENCE = "revocationEvidence";

    static final String EVIDENCE_POINTS_TO = "evidencePointsTo";
    static final String REPLACEMENT_ORDER = "replacementOrder";
    /** The presented certificate's public key (SubjectPublicKeyInfo SHA-256): the verifier population matches it. */
    static final String PRESENTED_SPKI_SHA256 = "presentedSpkiSha256";
    /** The verifier population as text: per endpoint, why it is affected (same certificate / same key). */
    static final String VERIFIER_POPULATION = "verifierPopulation";
    /** Who hears of the approved plan: per endpoint its owners and partner contacts (text for the form). */
    static final String PLAN_RECIPIENTS = "planRecipients";
    /** The commander's message to owners and partner contacts, sent when the plan is approved. */
    static final String OWNER_MESSAGE = "ownerMessage";

    /** Mis-issuance: the internal CA's serial of the mis-issued certificate, empty when another CA issued it. */
    static final String MIS_ISSUED_SERIAL = "misIssuedSerial";

    static final String NOTIFICATION_KIND = "notificationKind";

    /** When the steps finished (ISO instants), for "where did the time go" in the review. */
    static final String OPENED_AT = "openedAt";

    static final String ISSUED_AT = "issuedAt";
    static final String DEPLOYED_AT = "deployedAt";
    static final String VERIFIED_AT = "verifiedAt";
    /** Prefilled into the post-incident review form. */
    static final String TIME_SPENT = "timeSpent";

    /** Who resolved the incident by hand (a commander through the API, or whoever completed the handling task). */
    static final String RESOLVED_BY = "resolvedBy";

    static final String RESOLUTION_REASON = "resolutionReason";
    static final String CLOSED_BY = "closedBy";
    static final String CLOSE_REASON = "closeReason";
    /** What the person who handled the incident wrote in the handling task. */
    static final String HANDLING_NOTES = "handlingNotes";

    /** Exception review ({@code exception-review}); the exception record is the authority, these are for forms and mail. */
    static final String EXCEPTION_ID = "exceptionId";

    static final String FINDING_CODE = "findingCode";
    static final String REASON = "reason";
    static final String COMPENSATING_CONTROLS = "compensatingControls";
    /** Who asked (for forms and mail; the four-eyes rule reads the record instead). */
    static final String REQUESTER = "requester";

    static final String REQUESTED_EXPIRES_AT = "requestedExpiresAt";
    static final String PREVIOUS_DECISIONS = "previousDecisions";
    /** The board's form: approve or reject, why, and optionally an earlier expiry. */
    static final String EXCEPTION_DECISION = "exceptionDecision";

    static final String DECISION_COMMENT = "decisionComment";
    static final String APPROVED_EXPIRES_AT = "approvedExpiresAt";
    /** Set from the record after the decision: its state, its expiry and when to remind (dates for the timers). */
    static final String EXCEPTION_STATE = "exceptionState";

    static final String EXPIRES_AT = "expiresAt";
    static final String REMIND_AT = "remindAt";
    static final String REVOKED_BY = "revokedBy";

    /** Break-glass ({@code break-glass}); the break-glass record is the authority for requester and approvals. */
    static final String BREAK_GLASS_ID = "breakGlassId";

    static final String BREAK_GLASS_DECISION = "breakGlassDecision";
    static final String BREAK_GLASS_STATE = "breakGlassState";
    static final String APPROVALS = "approvals";
    static final String APPROVALS_NEEDED = "approvalsNeeded";
    static final String WHAT_WILL_BE_ISSUED = "whatWillBeIssued";
    /** The review's due date (approval time plus certloop.break-glass.review-within). */
    static final String REVIEW_DUE = "reviewDue";
    /** Issuance profile named by a task's input parameter. */
    static final String ISSUANCE_PROFILE = "issuanceProfile";
    /** emergency or standard, named by a task's input parameter. */
    static final String REPLACEMENT_KIND = "replacementKind";

    static final String STANDARD_REPLACEMENT_AT = "standardReplacementAt";
    /** The incident commander's reason when a runbook task's decision is break-glass (forms declare it). */
    static final String BREAK_GLASS_REASON = "breakGlassReason";
    /** The decision of the escalation task: reverify (the default) or break-glass. */
    static final String ESCALATION_DECISION = "escalationDecision";
    /** Which task asked for a break-glass, so the runbook returns there if it ends without resolving. */
    static final String BREAK_GLASS_FROM = "breakGlassFrom";
    /** Whether the incident is still open after its break-glass ended (read from the incident record). */
    static final String INCIDENT_OPEN = "incidentOpen";
    /** A close guard objects (read from the records by the step before closing) and why. */
    static final String CLOSE_BLOCKED = "closeBlocked";

    static final String CLOSE_BLOCKED_BECAUSE = "closeBlockedBecause";
    /** A person's decision after a failed standard replacement: retry or handled. */
    static final String STANDARD_REPLACEMENT_DECISION = "standardReplacementDecision";

    static final String EMERGENCY_SHA256 = "emergencySha256";
    /** The PKI board's review form. */
    static final String WHY_NORMAL_PATH_FAILED = "whyNormalPathFailed";

    static final String EMERGENCY_PROFILE_HELD = "emergencyProfileHeld";
    static final String OPERATING_CHANGES = "operatingChanges";

    /** Mass rotation ({@code mass-rotation}); the rotation record decides, these route the gateways and fill forms. */
    static final String ROTATION_ID = "rotationId";

    static final String APPROVAL_REQUIRED = "approvalRequired";
    static final String ENDPOINT_COUNT = "endpointCount";
    static final String WAVES = "waves";
    /** The wave running (0 = canary) and what the runbook does next: rotate, paused or done. */
    static final String WAVE = "wave";

    static final String WAVE_STEP = "waveStep";
    /** After a step of the wave: pending endpoints are left for another step (the step's time ran out). */
    static final String WAVE_UNFINISHED = "waveUnfinished";

    static final String WAVE_HALTED = "waveHalted";
    static final String WAVE_SUMMARY = "waveSummary";
    /** The approver's form (approve or reject) and, from the record, whether the rotation runs. */
    static final String ROTATION_DECISION = "rotationDecision";

    static final String ROTATION_APPROVED = "rotationApproved";
    /** The incident commanders' answer to a halted wave: continue, retry or abort. */
    static final String HALT_DECISION = "haltDecision";

    /** The agent group that deploys the endpoint on its host and holds its key; null: this server deploys. */
    static final String AGENT_GROUP = "agentGroup";
    /** The group's topic for a key and CSR, and for deploy, rollback and release. */
    static final String AGENT_CSR_TOPIC = "agentCsrTopic";

    static final String AGENT_DEPLOY_TOPIC = "agentDeployTopic";
    /** How long a step waits for the group's agent (ISO-8601 duration) before a person is asked. */
    static final String AGENT_DELIVER_WITHIN = "agentDeliverWithin";
    /** What an agent reported with its BPMN error (the error message: outcome and reload output). */
    static final String AGENT_FAILURE = "agentFailure";
    /** Deployment ids the agent rolls back on its host, newest first (comma-separated); null: nothing to do. */
    static final String AGENT_ROLLBACK_IDS = "agentRollbackIds";
    /** The verified deployment whose kept files the agent deletes on its host; null: nothing to do. */
    static final String AGENT_RELEASE_ID = "agentReleaseId";

    private RunbookVariables() {}
}
