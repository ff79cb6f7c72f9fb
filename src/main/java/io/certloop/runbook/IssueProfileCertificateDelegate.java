package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.remediation.RemediationService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Break-glass: starts issuance through the endpoint's replacement path with the profile the task names
 * ({@code issuanceProfile} input parameter: {@code emergency} first, the endpoint's own for the standard
 * replacement). The idempotency key is the break-glass and the profile, so a retried job resumes.
 */
@Component("issueProfileCertificateDelegate")
class IssueProfileCertificateDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    IssueProfileCertificateDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String profile = string(execution, ISSUANCE_PROFILE);
        String key = string(execution, BREAK_GLASS_ID) + ":issue:" + profile;
        String named = STANDARD.equals(profile) ? remediation.endpointProfile(endpoint(execution)) : profile;
        IssuanceSteps.apply(execution, remediation.beginIssuance(endpoint(execution), key, named), incidents, now());
    }

    /** The input parameter value that means "the endpoint's own profile". */
    static final String STANDARD = "endpoint";
}
