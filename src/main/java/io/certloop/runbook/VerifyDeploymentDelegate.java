package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.RemediationService;
import io.certloop.remediation.Verification;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Step 5b: a fresh probe decides; success is the issued fingerprint on every backend, nothing less. */
@Component("verifyDeploymentDelegate")
class VerifyDeploymentDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final RunbookRecords records;

    VerifyDeploymentDelegate(RemediationService remediation, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        String kind = breakGlassKind(execution);
        RunbookRecords.CertificateOfRecord expected = kind != null
                ? records.breakGlassCertificate(execution.getProcessInstanceId(), incidentId, kind)
                : records.certificate(
                        incidentId,
                        string(execution, DECLARED_SHA256),
                        string(execution, CERTIFICATE_ID),
                        string(execution, ISSUED_SHA256));
        Verification verification = remediation.verify(records.endpoint(incidentId), expected.sha256());
        execution.setVariable(VERIFY_ATTEMPTS, intVariable(execution, VERIFY_ATTEMPTS) + 1);
        execution.setVariable(VERIFIED, verification.passed());
        execution.setVariable(VERIFICATION_SUMMARY, verification.summary());
        execution.setVariable(PRESENTED_SHA256, verification.presentedSha256());
        Map<String, Object> detail = new HashMap<>();
        detail.put("passed", verification.passed());
        detail.put("expectedSha256", String.valueOf(verification.expectedSha256()));
        detail.put("expectedFrom", expected.source());
        detail.put("presentedSha256", String.valueOf(verification.presentedSha256()));
        detail.put("chainComplete", verification.chainComplete());
        detail.put("hostnameMatches", verification.hostnameMatches());
        detail.put("failures", verification.failures());
        incidents.record(incidentId, TimelineTypes.DEPLOYMENT_VERIFIED, detail);
    }
}
