package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.RemediationService;
import io.certloop.remediation.RevocationEvidence;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Revocation propagation step 1: what the CA's revocation service says now, recorded as evidence. */
@Component("confirmRevocationDelegate")
class ConfirmRevocationDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    ConfirmRevocationDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        RevocationEvidence evidence = remediation.revocationStatus(endpointOfIncident(execution, incidents));
        String text =
                evidence.status() + " from " + evidence.source() + (evidence.url() == null ? "" : " " + evidence.url())
                        + (evidence.revokedAt() == null ? "" : ", revoked at " + evidence.revokedAt()) + ": "
                        + evidence.detail();
        execution.setVariable(REVOCATION_EVIDENCE, text);
        execution.setVariable(EVIDENCE_POINTS_TO, evidence.pointsTo());
        execution.setVariable(PRESENTED_SHA256, evidence.presentedSha256());
        Map<String, Object> detail = new HashMap<>();
        detail.put("status", evidence.status());
        detail.put("source", evidence.source());
        detail.put("url", String.valueOf(evidence.url()));
        detail.put("revokedAt", String.valueOf(evidence.revokedAt()));
        detail.put("detail", String.valueOf(evidence.detail()));
        detail.put("presentedSha256", String.valueOf(evidence.presentedSha256()));
        detail.put("pointsTo", evidence.pointsTo());
        incidents.record(incidentId(execution), TimelineTypes.REVOCATION_CONFIRMED, detail);
    }
}
