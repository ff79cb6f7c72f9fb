package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.deployment.AgentProperties;
import io.certloop.deployment.AgentTopics;
import io.certloop.incident.TimelineTypes;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.inventory.Owner;
import io.certloop.remediation.AgentKeyRequest;
import io.certloop.remediation.RemediationService;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Step 2: who owns the service and the certificate, from the inventory; missing owners go to a person. */
@Component("identifyOwnershipDelegate")
class IdentifyOwnershipDelegate extends RunbookDelegate {

    private final InventoryService inventory;
    private final IncidentLog incidents;

    private final RemediationService remediation;
    private final AgentProperties agents;

    IdentifyOwnershipDelegate(
            InventoryService inventory, IncidentLog incidents, RemediationService remediation, AgentProperties agents) {
        this.inventory = inventory;
        this.incidents = incidents;
        this.remediation = remediation;
        this.agents = agents;
    }

    @Override
    void run(DelegateExecution execution) {
        Endpoint endpoint = inventory.get(endpointOfIncident(execution, incidents));
        Owner service = endpoint.serviceOwner();
        Owner certificate = endpoint.certificateOwner();
        boolean known =
                service != null && service.email() != null && certificate != null && certificate.email() != null;
        execution.setVariable(OWNERS_KNOWN, known);
        execution.setVariable(SERVICE_OWNER_TEAM, service == null ? null : service.team());
        execution.setVariable(SERVICE_OWNER_EMAIL, service == null ? null : service.email());
        execution.setVariable(CERTIFICATE_OWNER_TEAM, certificate == null ? null : certificate.team());
        execution.setVariable(CERTIFICATE_OWNER_EMAIL, certificate == null ? null : certificate.email());
        execution.setVariable(REPLACEMENT_PATH, endpoint.replacementPath().value());
        String group = remediation.agentGroup(endpoint.name()).orElse(null);
        execution.setVariable(AGENT_GROUP, group);
        if (group != null) {
            // what the group's agent reads: its topics, the key to make (names, type) under the incident's id
            AgentKeyRequest key = remediation.agentKeyRequest(endpoint.name());
            execution.setVariable(AGENT_CSR_TOPIC, AgentTopics.csrTopic(group));
            execution.setVariable(AGENT_DEPLOY_TOPIC, AgentTopics.deployTopic(group));
            execution.setVariable(AGENT_DELIVER_WITHIN, agents.deliverWithin().toString());
            execution.setVariable(AgentTopics.REQUEST_ID, RemediationService.deploymentIdFor(incidentId(execution)));
            execution.setVariable(AgentTopics.NAMES, String.join(",", key.names()));
            execution.setVariable(AgentTopics.KEY_TYPE, key.keyType());
        }
        Map<String, Object> detail = new HashMap<>();
        detail.put("ownersKnown", known);
        detail.put("serviceOwner", service == null ? "unknown" : service.team() + " <" + service.email() + ">");
        detail.put(
                "certificateOwner",
                certificate == null ? "unknown" : certificate.team() + " <" + certificate.email() + ">");
        detail.put("replacementPath", endpoint.replacementPath().value());
        if (group != null) {
            detail.put("agentGroup", group);
        }
        incidents.record(incidentId(execution), TimelineTypes.OWNERSHIP_IDENTIFIED, detail);
    }
}
