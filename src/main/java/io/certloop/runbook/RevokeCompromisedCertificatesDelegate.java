package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.issuance.RevocationReason;
import io.certloop.remediation.RemediationService;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Key compromise step 2: every certificate CertLoop's CA issued for the key is revoked with reason
 * keyCompromise, before anything else, so the CRL and OCSP say so while endpoints are still being rekeyed.
 * A failure is retried and then waits in Cockpit; the boundary timer escalates long before the 24 hours.
 */
@Component("revokeCompromisedCertificatesDelegate")
class RevokeCompromisedCertificatesDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final RunbookLists lists;
    private final IncidentLog incidents;

    RevokeCompromisedCertificatesDelegate(RemediationService remediation, RunbookLists lists, IncidentLog incidents) {
        this.remediation = remediation;
        this.lists = lists;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        List<String> serials = lists.split(string(execution, COMPROMISED_SERIALS));
        remediation.revokeInternal(serials, RevocationReason.KEY_COMPROMISE);
        execution.setVariable(REVOKED_AT, now().toString());
        incidents.record(
                incidentId(execution),
                TimelineTypes.CERTIFICATES_REVOKED,
                Map.of("serials", serials, "reason", "keyCompromise", "by", "internal CA"));
    }
}
