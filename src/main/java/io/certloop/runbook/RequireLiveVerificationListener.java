package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.RemediationService;
import io.certloop.remediation.Verification;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * On completing an investigation task: a fresh probe of the incident's endpoint must show the certificate of
 * record, or the completion is refused (400 over REST and in Tasklist; the command rolls back and the task
 * stays open). "I fixed it" is not evidence, and neither is a variable naming another endpoint: both come from
 * the records ({@link RunbookRecords}).
 */
@Component("requireLiveVerificationListener")
class RequireLiveVerificationListener implements TaskListener {

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final RunbookRecords records;

    RequireLiveVerificationListener(RemediationService remediation, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
    }

    @Override
    public void notify(DelegateTask task) {
        String incidentId = task.getExecution().getProcessBusinessKey();
        String endpoint = records.endpoint(incidentId);
        RunbookRecords.CertificateOfRecord expected = records.certificate(
                incidentId, null, (String) task.getVariable(CERTIFICATE_ID), (String) task.getVariable(ISSUED_SHA256));
        Verification verification = remediation.verify(endpoint, expected.sha256());
        incidents.record(
                incidentId,
                TimelineTypes.INVESTIGATION_VERIFIED,
                Map.of(
                        "passed",
                        verification.passed(),
                        "endpoint",
                        endpoint,
                        "expectedSha256",
                        String.valueOf(expected.sha256()),
                        "expectedFrom",
                        expected.source(),
                        "summary",
                        verification.summary()));
        if (!verification.passed()) {
            throw new FormFieldValidationException(
                    "verification",
                    "The live endpoint does not present the expected certificate yet: " + verification.summary());
        }
        task.setVariable(VERIFIED, true);
        task.setVariable(VERIFICATION_SUMMARY, verification.summary());
    }
}
