package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.remediation.RemediationService;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * A break-glass replacement is verified live: the inventory expects it, the deployment is released and the
 * break-glass record holds it. The emergency one ({@code replacementKind} = emergency) resolves the incident and
 * schedules the standard replacement before half its validity has passed; the standard one ends the loop.
 */
@Component("recordBreakGlassReplacementDelegate")
class RecordBreakGlassReplacementDelegate extends RunbookDelegate {

    static final String EMERGENCY = RunbookRecords.EMERGENCY;
    static final String STANDARD = RunbookRecords.STANDARD;

    private final RemediationService remediation;
    private final BreakGlassLog breakGlass;
    private final IncidentLog incidents;
    private final RunbookRecords records;

    RecordBreakGlassReplacementDelegate(
            RemediationService remediation, BreakGlassLog breakGlass, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.breakGlass = breakGlass;
        this.incidents = incidents;
        this.records = records;
    }

    /** Two fifths into the certificate's validity: well before half of it has passed. */
    static Instant standardReplacementAt(Instant notBefore, Instant notAfter) {
        return notBefore.plus(
                Duration.between(notBefore, notAfter).multipliedBy(2).dividedBy(5));
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        String kind = breakGlassKind(execution);
        RunbookRecords.CertificateOfRecord verified =
                records.breakGlassCertificate(execution.getProcessInstanceId(), incidentId, kind);
        String sha256 = verified.sha256();
        IssuedCertificate certificate = remediation.certificate(verified.certificateId());
        remediation.expect(records.endpoint(incidentId), sha256);
        String deploymentId = string(execution, DEPLOYMENT_ID);
        if (deploymentId != null) {
            remediation.release(deploymentId);
        }
        if (EMERGENCY.equals(kind)) {
            breakGlass.emergencyVerified(execution.getProcessInstanceId(), sha256, certificate.notAfter());
            incidents.resolved(
                    incidentId,
                    "break-glass: the emergency certificate " + sha256 + " is verified live (valid until "
                            + certificate.notAfter() + ")");
            // the incident's runbook, if it waits for this break-glass, moves on to its review
            RunbookMessages.tell(execution.getProcessEngineServices(), RunbookMessages.BREAK_GLASS_ENDED, incidentId);
            Instant replaceAt = standardReplacementAt(certificate.notBefore(), certificate.notAfter());
            Instant now = now();
            execution.setVariable(STANDARD_REPLACEMENT_AT, Date.from(replaceAt.isBefore(now) ? now : replaceAt));
            execution.setVariable(EMERGENCY_SHA256, sha256);
            // the standard replacement deploys under its own ids (its replacement kind), from its first attempt
            execution.setVariable(DEPLOY_ATTEMPTS, 0);
            execution.setVariable(VERIFY_ATTEMPTS, 0);
            execution.setVariable(DEPLOYMENT_ID, null);
        } else {
            breakGlass.standardVerified(execution.getProcessInstanceId(), sha256);
            incidents.record(
                    incidentId,
                    TimelineTypes.BREAK_GLASS_EMERGENCY_CERTIFICATE_REPLACED,
                    Map.of(
                            "emergencySha256",
                            String.valueOf(records.breakGlass(execution.getProcessInstanceId())
                                    .emergencySha256()),
                            "standardSha256",
                            sha256,
                            "notAfter",
                            String.valueOf(certificate.notAfter())));
        }
    }
}
