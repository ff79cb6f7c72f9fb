package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.deployment.DeploymentException;
import io.certloop.incident.TimelineTypes;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.remediation.RemediationService;
import io.certloop.remediation.ReplacementEvidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Once per affected endpoint (key compromise: presenting the key; revocation: presenting the revoked
 * certificate): a new key (never the old one), a new
 * certificate, deployed and verified live through the endpoint's replacement path. An endpoint that
 * cannot be replaced automatically, or whose replacement is not verified, is left to a person.
 */
@Component("replaceAffectedEndpointDelegate")
class ReplaceAffectedEndpointDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final RunbookLists lists;
    private final IncidentLog incidents;

    ReplaceAffectedEndpointDelegate(RemediationService remediation, RunbookLists lists, IncidentLog incidents) {
        this.remediation = remediation;
        this.lists = lists;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String target = string(execution, AFFECTED_ENDPOINT);
        Map<String, Object> detail = new HashMap<>();
        detail.put("endpoint", target);
        if (!remediation.replaceable(target)) {
            needsHands(execution, target);
            detail.put("replaced", false);
            detail.put("reason", "no automated replacement path or no deployment target: a person replaces it");
            incidents.record(incidentId(execution), TimelineTypes.ENDPOINT_REPLACED, detail);
            return;
        }
        // the key of this request is new: a fresh key is generated for every issuance without a key id
        ReplacementEvidence evidence;
        try {
            evidence = remediation.replace(target, incidentId(execution) + ":replace:" + target);
        } catch (IssuanceRejectedException | DeploymentException.PathRefused refused) {
            // a name outside the profile's domains, a path outside the allowed directories: no retry can help
            needsHands(execution, target);
            detail.put("replaced", false);
            detail.put(
                    "outcome",
                    refused instanceof IssuanceRejectedException ? "ISSUANCE_REFUSED" : "DEPLOYMENT_REFUSED");
            detail.put("reason", String.valueOf(refused.getMessage()));
            incidents.record(incidentId(execution), TimelineTypes.ENDPOINT_REPLACED, detail);
            return;
        }
        detail.put("replaced", evidence.succeeded());
        detail.put("outcome", evidence.outcome());
        detail.put(
                "issuedSha256",
                evidence.issued() == null ? null : evidence.issued().sha256());
        detail.put(
                "verification",
                evidence.verification() == null ? null : evidence.verification().summary());
        if (!evidence.succeeded()) {
            needsHands(execution, target);
        }
        incidents.record(incidentId(execution), TimelineTypes.ENDPOINT_REPLACED, detail);
    }

    private void needsHands(DelegateExecution execution, String target) {
        List<String> waiting = new ArrayList<>(lists.split(string(execution, ENDPOINTS_NEEDING_HANDS)));
        if (!waiting.contains(target)) {
            waiting.add(target);
        }
        execution.setVariable(ENDPOINTS_NEEDING_HANDS, RunbookLists.join(waiting));
    }
}
