package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

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
        String profile = RunbookRecords.EMERGENCY.equals(kind) ? kind : remediation.endpointProfile(endpoint);
        IssuanceSteps.apply(execution, remediation.beginIssuance(endpoint, key, profile), incidents, now());
    }
}
