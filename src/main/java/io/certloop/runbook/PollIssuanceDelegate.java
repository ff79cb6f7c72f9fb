package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.issuance.IssuanceException;
import io.certloop.remediation.RemediationService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Advances a pending issuance by one step after the BPMN timer; never waits on a job thread. */
@Component("pollIssuanceDelegate")
class PollIssuanceDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    PollIssuanceDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        try {
            IssuanceSteps.apply(
                    execution,
                    remediation.pollIssuance(path(execution), string(execution, ISSUANCE_REQUEST_ID)),
                    incidents,
                    now());
        } catch (IssuanceException e) {
            throw IssuanceSteps.caFailure(execution, e, incidents);
        }
    }

    /** The issuer the request was placed with: an approved fallback, else the replacement path. */
    private static String path(DelegateExecution execution) {
        String used = string(execution, ISSUANCE_PATH);
        return used != null ? used : string(execution, REPLACEMENT_PATH);
    }
}
