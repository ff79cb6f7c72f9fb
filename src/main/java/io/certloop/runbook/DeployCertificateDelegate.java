package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.deployment.AgentTopics;
import io.certloop.deployment.DeploymentException;
import io.certloop.deployment.DeploymentResult;
import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.AgentDelivery;
import io.certloop.remediation.RemediationService;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Step 5: writes the issued certificate to the service and runs its reload action. The deployment
 * id is the incident and the attempt: a retried job writes the same files again, nothing new.
 */
@Component("deployCertificateDelegate")
class DeployCertificateDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final RunbookRecords records;

    DeployCertificateDelegate(RemediationService remediation, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
    }

    /** The deployment id of the runbook's n-th deployment attempt for an incident (rollback walks them back). */
    static String attemptId(String incidentId, int attempt) {
        return RemediationService.deploymentIdFor(incidentId + "-deploy-" + attempt);
    }

    @Override
    void run(DelegateExecution execution) {
        int attempt = intVariable(execution, DEPLOY_ATTEMPTS) + 1;
        String kind = breakGlassKind(execution);
        String deploymentId;
        RunbookRecords.CertificateOfRecord certificate;
        if (kind != null) {
            // break-glass deploys beside the incident's runbook, under its own ids, what its record's issuance issued
            String processInstanceId = execution.getProcessInstanceId();
            certificate = records.breakGlassCertificate(processInstanceId, incidentId(execution), kind);
            deploymentId = attemptId(
                    RunbookRecords.breakGlassDeploymentKey(
                            records.breakGlass(processInstanceId).id(), kind),
                    attempt);
        } else {
            deploymentId = attemptId(incidentId(execution), attempt);
            certificate = records.certificate(
                    incidentId(execution), null, string(execution, CERTIFICATE_ID), string(execution, ISSUED_SHA256));
            if (certificate.certificateId() == null) {
                throw new IllegalStateException("incident " + incidentId(execution) + " has no certificate issued"
                        + " through CertLoop to deploy (" + certificate.source() + ")");
            }
        }
        if (kind == null && string(execution, AGENT_GROUP) != null) {
            handToAgent(execution, attempt, deploymentId, certificate.certificateId());
            return;
        }
        DeploymentResult result;
        try {
            result = remediation.deploy(
                    records.endpoint(incidentId(execution)), certificate.certificateId(), deploymentId);
        } catch (DeploymentException.PathRefused refused) {
            refused(execution, attempt, deploymentId, refused);
            return;
        }
        execution.setVariable(DEPLOY_ATTEMPTS, attempt);
        execution.setVariable(VERIFY_ATTEMPTS, 0);
        execution.setVariable(DEPLOYMENT_ID, result.deploymentId());
        execution.setVariable(DEPLOYMENT_SUCCEEDED, result.succeeded());
        execution.setVariable(DEPLOYMENT_OUTCOME, result.outcome().name());
        execution.setVariable(DEPLOYED_AT, now().toString());
        execution.setVariable(
                RELOAD_EXIT_CODE,
                result.reload() == null ? null : result.reload().exitCode());
        Map<String, Object> detail = new HashMap<>();
        detail.put("deploymentId", result.deploymentId());
        detail.put("attempt", attempt);
        detail.put("outcome", result.outcome().name());
        detail.put(
                "files", result.files().stream().map(f -> f.path().toString()).toList());
        if (result.reload() != null) {
            detail.put("reloadAction", result.reload().action());
            detail.put("reloadExitCode", result.reload().exitCode());
            detail.put("reloadOutput", result.reload().output());
            detail.put("reloadServedDeployments", result.reload().served());
        }
        incidents.record(incidentId(execution), TimelineTypes.CERTIFICATE_DEPLOYED, detail);
    }

    /**
     * The endpoint's agent deploys on its host: what it needs (target, certificate and chain; public data) goes into
     * variables its deploy task reads. Its answer, or its BPMN error, comes back through that task.
     */
    private void handToAgent(DelegateExecution execution, int attempt, String deploymentId, String certificateId) {
        AgentDelivery delivery = remediation.agentDelivery(records.endpoint(incidentId(execution)), certificateId);
        execution.setVariable(DEPLOY_ATTEMPTS, attempt);
        execution.setVariable(VERIFY_ATTEMPTS, 0);
        execution.setVariable(DEPLOYMENT_ID, deploymentId);
        execution.setVariable(DEPLOYMENT_SUCCEEDED, false);
        execution.setVariable(DEPLOYMENT_OUTCOME, "HANDED_TO_AGENT");
        execution.setVariable(AgentTopics.DEPLOYMENT_ID, deploymentId);
        execution.setVariable(AgentTopics.CERTIFICATE_PATH, delivery.certificatePath());
        execution.setVariable(AgentTopics.CHAIN_PATH, delivery.chainPath());
        execution.setVariable(AgentTopics.FULLCHAIN_PATH, delivery.fullchainPath());
        execution.setVariable(AgentTopics.KEY_PATH, delivery.keyPath());
        execution.setVariable(AgentTopics.RELOAD_ACTION, delivery.reloadAction());
        execution.setVariable(AgentTopics.LEAF_PEM, delivery.leafPem());
        execution.setVariable(AgentTopics.CHAIN_PEMS, delivery.chainPem());
        execution.setVariable(AgentTopics.ANSWER_HOST, delivery.answerHost());
        execution.setVariable(AgentTopics.ANSWER_PORT, delivery.answerPort());
        incidents.record(
                incidentId(execution),
                TimelineTypes.DEPLOYMENT_HANDED_TO_AGENT,
                Map.of(
                        "deploymentId",
                        deploymentId,
                        "attempt",
                        attempt,
                        "agentGroup",
                        delivery.group(),
                        "sha256",
                        delivery.sha256()));
    }

    /**
     * A path outside the allowed directories (the configuration changed since the inventory accepted it, or a link
     * moved): nothing was written, and retrying cannot help. The step ends as a failed deployment, so the runbook's
     * own failure path (rollback, which finds nothing to restore, then a person) takes over.
     */
    private void refused(
            DelegateExecution execution, int attempt, String deploymentId, DeploymentException.PathRefused refused) {
        execution.setVariable(DEPLOY_ATTEMPTS, attempt);
        execution.setVariable(VERIFY_ATTEMPTS, 0);
        execution.setVariable(DEPLOYMENT_ID, deploymentId);
        execution.setVariable(DEPLOYMENT_SUCCEEDED, false);
        execution.setVariable(DEPLOYMENT_OUTCOME, "REFUSED");
        incidents.record(
                incidentId(execution),
                TimelineTypes.DEPLOYMENT_REFUSED,
                Map.of(
                        "deploymentId",
                        deploymentId,
                        "attempt",
                        attempt,
                        "field",
                        refused.field(),
                        "reason",
                        String.valueOf(refused.getMessage())));
    }
}
