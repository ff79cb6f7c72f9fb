package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.deployment.AgentTopics;
import io.certloop.incident.TimelineTypes;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The endpoint's agent wrote the files on its host, reloaded, and the service answered there. That is its report,
 * not evidence: the next step verifies the live endpoint with a fresh probe of the server's own.
 */
@Component("recordAgentDeploymentDelegate")
class RecordAgentDeploymentDelegate extends RunbookDelegate {

    private final IncidentLog incidents;

    RecordAgentDeploymentDelegate(IncidentLog incidents) {
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String outcome = string(execution, AgentTopics.OUTCOME);
        execution.setVariable(DEPLOYMENT_SUCCEEDED, "SUCCEEDED".equals(outcome));
        execution.setVariable(DEPLOYMENT_OUTCOME, String.valueOf(outcome));
        execution.setVariable(DEPLOYED_AT, now().toString());
        Map<String, Object> detail = new HashMap<>();
        detail.put("deploymentId", String.valueOf(execution.getVariable(DEPLOYMENT_ID)));
        detail.put("attempt", intVariable(execution, DEPLOY_ATTEMPTS));
        detail.put("outcome", String.valueOf(outcome));
        detail.put("agentGroup", string(execution, AGENT_GROUP));
        detail.put("reloadOutput", String.valueOf(execution.getVariable(AgentTopics.OUTPUT)));
        incidents.record(incidentId(execution), TimelineTypes.CERTIFICATE_DEPLOYED, detail);
    }
}
