package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.deployment.DeploymentException;
import io.certloop.incident.TimelineTypes;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.outage.CaOutageService;
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
 * cannot be replaced automatically, or whose replacement is not verified, is left to a person. An issuer that does not
 * answer ({@link CaUnavailableException}) ends the loop with {@code CA_FAILURE}: the runbook waits on the issuer
 * (the reusable {@code await-issuer} process, linked to its ca-outage) and comes back here, where the endpoints
 * already replaced or already left to a person are passed over.
 */
@Component("replaceAffectedEndpointDelegate")
class ReplaceAffectedEndpointDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final RunbookLists lists;
    private final IncidentLog incidents;
    private final CaOutageService outages;

    ReplaceAffectedEndpointDelegate(
            RemediationService remediation, RunbookLists lists, IncidentLog incidents, CaOutageService outages) {
        this.remediation = remediation;
        this.lists = lists;
        this.incidents = incidents;
        this.outages = outages;
    }

    @Override
    void run(DelegateExecution execution) {
        String target = string(execution, AFFECTED_ENDPOINT);
        if (lists.split(string(execution, ENDPOINTS_REPLACED)).contains(target)
                || lists.split(string(execution, ENDPOINTS_NEEDING_HANDS)).contains(target)) {
            return; // done before the runbook waited on the issuer
        }
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
        String path = remediation.issuancePath(target, null);
        int attempts = intVariable(execution, ISSUE_ATTEMPTS);
        ReplacementEvidence evidence;
        try {
            // after the issuer failed, a fresh request rather than resuming the failed one
            evidence = remediation.replace(
                    target, incidentId(execution) + ":replace:" + target + (attempts == 0 ? "" : ":" + attempts));
        } catch (CaUnavailableException unavailable) {
            execution.setVariable(ISSUANCE_PATH, path);
            throw IssuanceSteps.caFailure(execution, unavailable, incidents);
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
        if (path != null) {
            outages.issuanceSucceeded(path);
        }
        if (evidence.succeeded()) {
            List<String> replaced = new ArrayList<>(lists.split(string(execution, ENDPOINTS_REPLACED)));
            replaced.add(target);
            execution.setVariable(ENDPOINTS_REPLACED, RunbookLists.join(replaced));
        } else {
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
