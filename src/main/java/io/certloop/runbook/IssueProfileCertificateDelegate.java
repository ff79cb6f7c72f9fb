package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.issuance.IssuanceException;
import io.certloop.remediation.RemediationService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Break-glass: starts issuance through the endpoint's replacement path for the replacement the task names
 * ({@code replacementKind} input parameter: {@code emergency} from the emergency profile first, {@code standard}
 * from the endpoint's own profile later). The endpoint is the incident record's and the idempotency key is the
 * break-glass record's id and the profile, so a retried job resumes and later steps find the issuance record.
 */
@Component("issueProfileCertificateDelegate")
class IssueProfileCertificateDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final RunbookRecords records;

    IssueProfileCertificateDelegate(RemediationService remediation, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
    }

    @Override
    void run(DelegateExecution execution) {
        String kind = breakGlassKind(execution);
        BreakGlassLog.About breakGlass = records.breakGlass(execution.getProcessInstanceId());
        String endpoint = records.endpoint(incidentId(execution));
        String key = RunbookRecords.breakGlassIssuanceKey(breakGlass.id(), kind);
        if (RunbookRecords.EMERGENCY.equals(kind)) {
            IssuanceSteps.apply(execution, remediation.beginIssuance(endpoint, key, kind), incidents, now());
            return;
        }
        // the standard replacement: a CA failure goes to a person (the model catches it); a retry they ask for
        // starts a fresh request under the same key prefix, so later steps still find it in the issuance record
        int attempts = intVariable(execution, ISSUE_ATTEMPTS);
        try {
            IssuanceSteps.apply(
                    execution,
                    remediation.beginIssuance(
                            endpoint,
                            attempts == 0 ? key : key + ":" + attempts,
                            remediation.endpointProfile(endpoint)),
                    incidents,
                    now());
        } catch (IssuanceException e) {
            throw IssuanceSteps.caFailure(execution, e, incidents);
        }
    }
}
