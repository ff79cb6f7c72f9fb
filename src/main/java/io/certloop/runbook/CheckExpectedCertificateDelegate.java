package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
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
    private final RunbookRecords records;

    CheckExpectedCertificateDelegate(RemediationService remediation, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
    }

    @Override
    void run(DelegateExecution execution) {
        ExpectedCertificate expected = remediation.expectedCertificate(records.endpoint(incidentId(execution)));
        execution.setVariable(EXPECTED_DEPLOYABLE, expected.deployable());
        execution.setVariable(CERTIFICATE_ID, expected.certificateId());
        execution.setVariable(ISSUED_SHA256, expected.sha256());
        execution.setVariable(AUTOMATED_DEPLOYMENT, expected.deployable());
        execution.setVariable(VERIFICATION_SUMMARY, expected.reason());
        incidents.record(
                incidentId(execution),
                TimelineTypes.EXPECTED_CERTIFICATE_CHECKED,
                Map.of(
                        "deployable",
                        expected.deployable(),
                        "sha256",
                        String.valueOf(expected.sha256()),
                        "reason",
                        expected.reason()));
    }
}
