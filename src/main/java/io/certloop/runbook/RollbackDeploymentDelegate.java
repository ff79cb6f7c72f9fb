package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.deployment.DeploymentException;
import io.certloop.deployment.DeploymentResult;
import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.RemediationService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Restores the files that were live before the runbook's first deployment and reloads again; a person takes over
 * next. Every attempt is rolled back, newest first: a redeploy of the same certificate wrote nothing, so rolling
 * back only the last attempt would leave the unverified certificate live.
 */
@Component("rollbackDeploymentDelegate")
class RollbackDeploymentDelegate extends RunbookDelegate {

    /** After a rollback the runbook does not redeploy on its own again. */
    static final int NO_MORE_DEPLOYS = 99;

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final RunbookRecords records;

    RollbackDeploymentDelegate(RemediationService remediation, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
    }

    @Override
    void run(DelegateExecution execution) {
        String last = string(execution, DEPLOYMENT_ID);
        if (last != null) {
            int attempts = intVariable(execution, DEPLOY_ATTEMPTS);
            String kind = breakGlassKind(execution);
            String deploymentKey = kind == null
                    ? incidentId(execution)
                    : RunbookRecords.breakGlassDeploymentKey(
                            records.breakGlass(execution.getProcessInstanceId()).id(), kind);
            List<String> attemptIds = new ArrayList<>();
            if (attempts < NO_MORE_DEPLOYS) {
                for (int attempt = attempts; attempt >= 1; attempt--) {
                    attemptIds.add(DeployCertificateDelegate.attemptId(deploymentKey, attempt));
                }
            }
            if (!attemptIds.contains(last)) {
                attemptIds.add(0, last);
            }
            if (kind == null && string(execution, AGENT_GROUP) != null) {
                // the files are on the agent's host: its rollback task restores them there
                execution.setVariable(AGENT_ROLLBACK_IDS, String.join(",", attemptIds));
                Map<String, Object> detail = new HashMap<>();
                detail.put("deploymentIds", attemptIds);
                detail.put("agentGroup", string(execution, AGENT_GROUP));
                detail.put("agentReport", String.valueOf(execution.getVariable(AGENT_FAILURE)));
                incidents.record(incidentId(execution), TimelineTypes.AGENT_DEPLOYMENT_FAILED, detail);
            } else {
                execution.setVariable(AGENT_ROLLBACK_IDS, null);
                for (String deploymentId : attemptIds) {
                    rollBack(execution, deploymentId);
                }
            }
        } else {
            execution.setVariable(AGENT_ROLLBACK_IDS, null);
        }
        execution.setVariable(DEPLOY_ATTEMPTS, NO_MORE_DEPLOYS);
        execution.setVariable(VERIFY_ATTEMPTS, 0);
        if (RunbookRecords.EMERGENCY.equals(breakGlassKind(execution))) {
            // the emergency replacement failed: the incident's runbook, if it waits for this break-glass, continues
            RunbookMessages.tell(
                    execution.getProcessEngineServices(), RunbookMessages.BREAK_GLASS_ENDED, incidentId(execution));
        }
    }

    private void rollBack(DelegateExecution execution, String deploymentId) {
        try {
            DeploymentResult result = remediation.rollback(deploymentId);
            incidents.record(
                    incidentId(execution),
                    TimelineTypes.DEPLOYMENT_ROLLED_BACK,
                    Map.of(
                            "deploymentId",
                            deploymentId,
                            "outcome",
                            result.outcome().name()));
        } catch (DeploymentException.NotFound e) {
            // that attempt failed before it wrote anything: nothing to restore
        } catch (DeploymentException.PathRefused e) {
            // its files are no longer where deployments may write: a person restores them, CertLoop writes nothing
            incidents.record(
                    incidentId(execution),
                    TimelineTypes.DEPLOYMENT_REFUSED,
                    Map.of("deploymentId", deploymentId, "field", e.field(), "reason", String.valueOf(e.getMessage())));
        }
    }
}
