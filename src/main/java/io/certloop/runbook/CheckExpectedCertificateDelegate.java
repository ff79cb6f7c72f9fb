package io.certloop.runbook;

import io.certloop.incident.TimelineTypes;
import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.remediation.ExpectedCertificate;
import io.certloop.remediation.RemediationService;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Renewed-not-deployed step 1: is the certificate the inventory expects known, valid and deployable? */
@Component("checkExpectedCertificateDelegate")
class CheckExpectedCertificateDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    CheckExpectedCertificateDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        ExpectedCertificate expected = remediation.expectedCertificate(endpoint(execution));
        execution.setVariable(EXPECTED_DEPLOYABLE, expected.deployable());
        execution.setVariable(CERTIFICATE_ID, expected.certificateId());
        execution.setVariable(ISSUED_SHA256, expected.sha256());
        execution.setVariable(AUTOMATED_DEPLOYMENT, expected.deployable());
        execution.setVariable(VERIFICATION_SUMMARY, expected.reason());
        incidents.record(incidentId(execution), TimelineTypes.EXPECTED_CERTIFICATE_CHECKED, Map.of(
                "deployable", expected.deployable(), "sha256", String.valueOf(expected.sha256()),
                "reason", expected.reason()));
    }
}
