package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.deployment.DeploymentResult;
import io.certloop.remediation.RemediationService;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Restores the files that were live before the deployment and reloads again; a person takes over next. */
@Component("rollbackDeploymentDelegate")
class RollbackDeploymentDelegate extends RunbookDelegate {

    /** After a rollback the runbook does not redeploy on its own again. */
    static final int NO_MORE_DEPLOYS = 99;

    private final RemediationService remediation;
    private final IncidentLog incidents;

    RollbackDeploymentDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String deploymentId = string(execution, DEPLOYMENT_ID);
        if (deploymentId != null) {
            DeploymentResult result = remediation.rollback(deploymentId);
            incidents.record(incidentId(execution), "deployment-rolled-back", Map.of("deploymentId", deploymentId,
                    "outcome", result.outcome().name()));
        }
        execution.setVariable(DEPLOY_ATTEMPTS, NO_MORE_DEPLOYS);
        execution.setVariable(VERIFY_ATTEMPTS, 0);
    }
}
