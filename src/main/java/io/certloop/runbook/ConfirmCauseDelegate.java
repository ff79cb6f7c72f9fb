package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.Confirmation;
import io.certloop.remediation.RemediationService;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Step 1: what does the endpoint present now, and is it really an expired or expiring certificate? */
@Component("confirmCauseDelegate")
class ConfirmCauseDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final RunbookRecords records;

    ConfirmCauseDelegate(RemediationService remediation, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
    }

    @Override
    void run(DelegateExecution execution) {
        Confirmation confirmation = remediation.confirm(records.endpoint(incidentId(execution)));
        execution.setVariable(EXPIRY_CONFIRMED, confirmation.expiryConfirmed());
        execution.setVariable(PRESENTED_SHA256, confirmation.presentedSha256());
        execution.setVariable(
                PRESENTED_NOT_AFTER,
                confirmation.presentedNotAfter() == null
                        ? null
                        : confirmation.presentedNotAfter().toString());
        execution.setVariable(PROBE_SUMMARY, confirmation.summary());
        execution.setVariable(PROBE_FINDINGS, String.join(",", confirmation.findingCodes()));
        incidents.record(
                incidentId(execution),
                TimelineTypes.CAUSE_CONFIRMED,
                Map.of(
                        "expiryConfirmed", confirmation.expiryConfirmed(),
                        "summary", confirmation.summary(),
                        "findings", confirmation.findingCodes()));
    }
}
