package io.certloop.runbook;

import io.certloop.issuance.IssuedCertificate;
import io.certloop.remediation.ExpectedCertificate;
import io.certloop.remediation.RemediationService;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What a runbook step acts on, read from the incident, issuance and inventory records and never from a
 * process variable a person could have set: a gate that reads a variable is only as strong as the weakest
 * permission to write it. The endpoint is the incident's. The certificate is the one issued for this
 * incident; else, on the manual path, the fingerprint the operator declared in that task's form (the one
 * input a person is asked for, checked by a fresh probe like any other); else the one the inventory expects.
 */
@Component
class RunbookRecords {

    /** Where the certificate of record came from; written into the evidence. */
    static final String ISSUED_FOR_INCIDENT = "issued-for-incident";

    static final String DECLARED_BY_OPERATOR = "declared-by-operator";
    static final String INVENTORY_EXPECTATION = "inventory-expectation";
    /** Another runbook's step chose it (a held certificate, a break-glass issuance), bound to this endpoint. */
    static final String CHOSEN_BY_STEP = "chosen-by-step";

    /** The certificate a step deploys or expects; {@code certificateId} is null when CertLoop did not issue it. */
    record CertificateOfRecord(String certificateId, String sha256, String source) {}

    /** A break-glass step's replacement kinds and the issuance profile each issues from. */
    static final String EMERGENCY = "emergency";

    static final String STANDARD = "standard";

    private final IncidentLog incidents;
    private final RemediationService remediation;
    private final BreakGlassLog breakGlass;

    RunbookRecords(IncidentLog incidents, RemediationService remediation, BreakGlassLog breakGlass) {
        this.incidents = incidents;
        this.remediation = remediation;
        this.breakGlass = breakGlass;
    }

    /** Idempotency keys of an incident's issuances: this prefix and the attempt number. */
    static String issuanceKeyPrefix(String incidentId) {
        return incidentId + ":issue:";
    }

    String endpoint(String incidentId) {
        return incidents.endpointOf(incidentId);
    }

    /** The break-glass record of this process instance; a process without one fails. */
    BreakGlassLog.About breakGlass(String processInstanceId) {
        return breakGlass.about(processInstanceId);
    }

    /**
     * The idempotency key a break-glass issues a replacement of this kind under: the record's id and the profile
     * ({@code emergency}, or {@code endpoint} for the endpoint's own).
     */
    static String breakGlassIssuanceKey(String breakGlassId, String kind) {
        return breakGlassId + ":issue:" + (EMERGENCY.equals(kind) ? EMERGENCY : "endpoint");
    }

    /** What a break-glass replacement's deployment attempts are named after: never the incident runbook's ids. */
    static String breakGlassDeploymentKey(String breakGlassId, String kind) {
        return breakGlassId + "-" + kind;
    }

    /**
     * The certificate a break-glass issued for this replacement, from the issuance record: the newest issued for
     * the incident's endpoint under the break-glass record's key. Nothing issued yet fails loudly.
     */
    CertificateOfRecord breakGlassCertificate(String processInstanceId, String incidentId, String kind) {
        if (!EMERGENCY.equals(kind) && !STANDARD.equals(kind)) {
            throw new IllegalArgumentException("unknown break-glass replacement kind " + kind);
        }
        BreakGlassLog.About about = breakGlass(processInstanceId);
        String endpoint = endpoint(incidentId);
        if (!about.incidentId().equals(incidentId) || !about.endpoint().equals(endpoint)) {
            throw new IllegalStateException("break-glass " + about.id() + " is about incident " + about.incidentId()
                    + " on " + about.endpoint() + ", not " + incidentId + " on " + endpoint);
        }
        IssuedCertificate issued = remediation
                .issuedUnder(endpoint, breakGlassIssuanceKey(about.id(), kind))
                .orElseThrow(() -> new IllegalStateException(
                        "break-glass " + about.id() + " has issued no " + kind + " certificate for " + endpoint));
        return new CertificateOfRecord(issued.id(), issued.sha256(), ISSUED_FOR_INCIDENT);
    }

    /**
     * @param declaredSha256 what the manual-replacement form recorded, or null
     * @param chosenCertificateId the certificate an earlier step of the runbook chose ({@code certificateId}, written
     *     by steps only: no form declares it), or null; taken only when its issuance record is this endpoint's
     * @param chosenSha256 that step's fingerprint ({@code issuedSha256}), used with it
     */
    CertificateOfRecord certificate(
            String incidentId, String declaredSha256, String chosenCertificateId, String chosenSha256) {
        String endpoint = endpoint(incidentId);
        Optional<IssuedCertificate> issued = remediation.issuedUnder(endpoint, issuanceKeyPrefix(incidentId));
        if (issued != null && issued.isPresent()) {
            return new CertificateOfRecord(issued.get().id(), issued.get().sha256(), ISSUED_FOR_INCIDENT);
        }
        if (declaredSha256 != null && !declaredSha256.isBlank()) {
            return new CertificateOfRecord(null, declaredSha256.strip().toLowerCase(Locale.ROOT), DECLARED_BY_OPERATOR);
        }
        if (chosenCertificateId != null) {
            IssuedCertificate chosen = issuedRecord(chosenCertificateId);
            if (chosen == null) {
                return new CertificateOfRecord(chosenCertificateId, chosenSha256, CHOSEN_BY_STEP);
            }
            if (endpoint.equals(chosen.endpointName())) {
                return new CertificateOfRecord(chosen.id(), chosen.sha256(), CHOSEN_BY_STEP);
            }
        }
        ExpectedCertificate expected = remediation.expectedCertificate(endpoint);
        if (expected == null || (expected.sha256() == null && chosenSha256 != null)) {
            return new CertificateOfRecord(chosenCertificateId, chosenSha256, CHOSEN_BY_STEP);
        }
        return new CertificateOfRecord(expected.certificateId(), expected.sha256(), INVENTORY_EXPECTATION);
    }

    private IssuedCertificate issuedRecord(String certificateId) {
        try {
            return remediation.certificate(certificateId);
        } catch (io.certloop.remediation.RemediationException unknown) {
            return null;
        }
    }
}
