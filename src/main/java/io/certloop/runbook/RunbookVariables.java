package io.certloop.runbook;

/** Every process variable name the runbooks use, in one place. Values are facts and references, never keys. */
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
    static final String ISSUED_SHA256 = "issuedSha256";
    static final String CSR_PEM = "csrPem";
    static final String CERTIFICATE_PEM = "certificatePem";
    static final String REFUSAL_REASON = "refusalReason";
    static final String CA_FAILURE_REASON = "caFailureReason";
    static final String CA_DECISION = "caDecision";

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
    static final String REVOKED_AT = "revokedAt";

    /** Revocation propagation: the CA's answer as text, the subcategory it points to, the approved order. */
    static final String REVOCATION_EVIDENCE = "revocationEvidence";
    static final String EVIDENCE_POINTS_TO = "evidencePointsTo";
    static final String REPLACEMENT_ORDER = "replacementOrder";

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

    private RunbookVariables() {
    }
}
