package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.remediation.RemediationService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** The loop is closed: the inventory expects the verified fingerprint and the incident is resolved. */
@Component("recordResolutionDelegate")
class RecordResolutionDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    RecordResolutionDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String sha256 = string(execution, ISSUED_SHA256);
        remediation.expect(endpoint(execution), sha256);
        incidents.resolved(incidentId(execution), "live endpoint verified presenting " + sha256);
    }
}
