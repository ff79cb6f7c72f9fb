package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.certloop.deployment.AgentTopics;
import io.certloop.incident.TimelineTypes;
import io.certloop.inventory.FileDeployment;
import io.certloop.inventory.Owner;
import io.certloop.inventory.ReplacementPath;
import io.certloop.remediation.AgentDelivery;
import io.certloop.remediation.AgentKeyRequest;
import io.certloop.remediation.Confirmation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code expiry-incident} for an endpoint deployed by an agent: the key is made on the host (only a CSR comes back),
 * the agent writes and reloads, the server verifies with its own probe, the agent releases; and the failure paths.
 */
@Deployment(resources = "processes/expiry-incident.bpmn")
class AgentDeploymentProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = ExpiryIncidentProcessTest.INCIDENT;
    static final String GROUP = "web-eu";
    static final String CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

    RunbookFixture fixture;
    RuntimeService runtime;
    ManagementService management;
    ExternalTaskService externalTasks;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        runtime = engine.getRuntimeService();
        management = engine.getManagementService();
        externalTasks = engine.getExternalTaskService();
        when(fixture.remediation.confirm("web"))
                .thenReturn(new Confirmation(
                        true,
                        true,
                        false,
                        false,
                        ExpiryIncidentProcessTest.OLD,
                        Instant.now().minusSeconds(60),
                        List.of("EXPIRED"),
                        "expired"));
        when(fixture.inventory.get("web"))
                .thenReturn(RunbookFixture.web(
                        ReplacementPath.INTERNAL_CA,
                        ExpiryIncidentProcessTest.OLD,
                        new Owner("web", "web@example.test"),
                        new Owner("pki", "pki@example.test"),
                        new FileDeployment(
                                FileDeployment.TYPE_AGENT,
                                null,
                                null,
                                "/etc/nginx/tls/fullchain.pem",
                                "/etc/nginx/tls/key.pem",
                                "nginx",
                                GROUP)));
        when(fixture.remediation.agentGroup("web")).thenReturn(Optional.of(GROUP));
        when(fixture.remediation.agentKeyRequest("web"))
                .thenReturn(new AgentKeyRequest(List.of("www.example.test"), "EC_P256"));
        when(fixture.remediation.issuancePath("web", null)).thenReturn("internal-ca");
        when(fixture.remediation.beginIssuanceForCsr(eq("web"), anyString(), isNull(), eq(CSR)))
                .thenReturn(ExpiryIncidentProcessTest.issued());
        when(fixture.remediation.issuedUnder("web", INCIDENT + ":issue:"))
                .thenReturn(Optional.of(ExpiryIncidentProcessTest.certificate()));
        when(fixture.remediation.agentDelivery("web", "cert-1"))
                .thenReturn(new AgentDelivery(
                        GROUP,
                        null,
                        null,
                        "/etc/nginx/tls/fullchain.pem",
                        "/etc/nginx/tls/key.pem",
                        "nginx",
                        "leaf",
                        "chain",
                        "www.example.test",
                        443,
                        ExpiryIncidentProcessTest.ISSUED));
        when(fixture.remediation.verify("web", ExpiryIncidentProcessTest.ISSUED))
                .thenReturn(ExpiryIncidentProcessTest.verification(true));
    }

    @Test
    void theKeyIsMadeOnTheHostTheAgentDeploysTheServerVerifiesAndTheAgentReleases() {
        ProcessInstance instance = upToTheCsr();

        LockedExternalTask csr = fetch(AgentTopics.csrTopic(GROUP));
        assertThat(csr.getVariables())
                .containsEntry(AgentTopics.NAMES, "www.example.test")
                .containsEntry(AgentTopics.KEY_TYPE, "EC_P256")
                .containsEntry(AgentTopics.REQUEST_ID, INCIDENT);
        externalTasks.complete(csr.getId(), "agent-1", null, Map.of(AgentTopics.CSR, CSR));
        RunbookFixture.run(management, instance, "issueCertificate");
        verify(fixture.remediation).beginIssuanceForCsr("web", INCIDENT + ":issue:0", null, CSR);
        RunbookFixture.run(management, instance, "deployCertificate");
        verify(fixture.remediation, never()).deploy(anyString(), anyString(), anyString());
        RunbookFixture.run(management, instance, "deployThroughAgent");

        LockedExternalTask deploy = fetch(AgentTopics.deployTopic(GROUP));
        assertThat(deploy.getVariables())
                .containsEntry(AgentTopics.ACTION, AgentTopics.ACTION_DEPLOY)
                .containsEntry(AgentTopics.DEPLOYMENT_ID, INCIDENT + "-deploy-1")
                .containsEntry(AgentTopics.FULLCHAIN_PATH, "/etc/nginx/tls/fullchain.pem")
                .containsEntry(AgentTopics.LEAF_PEM, "leaf");
        externalTasks.complete(
                deploy.getId(),
                "agent-1",
                null,
                Map.of(AgentTopics.OUTCOME, "SUCCEEDED", AgentTopics.OUTPUT, "reloaded"));
        RunbookFixture.run(management, instance, "recordAgentDeployment");
        RunbookFixture.run(management, instance, "verifyDeployment");
        verify(fixture.remediation).verify("web", ExpiryIncidentProcessTest.ISSUED);
        RunbookFixture.run(management, instance, "recordResolution");
        verify(fixture.remediation, never()).release(anyString());
        RunbookFixture.run(management, instance, "releaseOnHost");

        LockedExternalTask release = fetch(AgentTopics.deployTopic(GROUP));
        assertThat(release.getVariables())
                .containsEntry(AgentTopics.ACTION, AgentTopics.ACTION_RELEASE)
                .containsEntry(AgentTopics.DEPLOYMENT_ID, INCIDENT + "-deploy-1");
        externalTasks.complete(
                release.getId(), "agent-1", null, Map.of(AgentTopics.OUTCOME, "RELEASED", AgentTopics.OUTPUT, "1"));
        RunbookFixture.run(management, instance, "notifyResolved");

        assertThat(instance).isWaitingAt("reviewIncident");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        assertThat(fixture.incidents.last.get(TimelineTypes.CERTIFICATE_DEPLOYED))
                .containsEntry("agentGroup", GROUP)
                .containsEntry("reloadOutput", "reloaded");
    }

    @Test
    void aFailureOnTheHostIsRolledBackThereAndEscalated() {
        ProcessInstance instance = upToTheCsr();
        externalTasks.complete(
                fetch(AgentTopics.csrTopic(GROUP)).getId(), "agent-1", null, Map.of(AgentTopics.CSR, CSR));
        RunbookFixture.run(management, instance, "issueCertificate");
        RunbookFixture.run(management, instance, "deployCertificate");
        RunbookFixture.run(management, instance, "deployThroughAgent");

        externalTasks.handleBpmnError(
                fetch(AgentTopics.deployTopic(GROUP)).getId(),
                "agent-1",
                AgentTopics.FAILURE,
                "RELOAD_FAILED (exit 1); rollback on the host SUCCEEDED; output: nginx: [emerg]");
        RunbookFixture.run(management, instance, "rollbackDeployment");
        verify(fixture.remediation, never()).rollback(anyString());
        assertThat(fixture.incidents.last.get(TimelineTypes.AGENT_DEPLOYMENT_FAILED))
                .containsEntry(
                        "agentReport",
                        "RELOAD_FAILED (exit 1); rollback on the host SUCCEEDED; output: nginx: [emerg]");

        RunbookFixture.run(management, instance, "rollbackThroughAgent");
        LockedExternalTask rollback = fetch(AgentTopics.deployTopic(GROUP));
        assertThat(rollback.getVariables())
                .containsEntry(AgentTopics.ACTION, AgentTopics.ACTION_ROLLBACK)
                .containsEntry(AgentTopics.DEPLOYMENT_ID, INCIDENT + "-deploy-1");
        externalTasks.complete(
                rollback.getId(),
                "agent-1",
                null,
                Map.of(AgentTopics.OUTCOME, "ROLLED_BACK", AgentTopics.OUTPUT, "ok"));

        assertThat(instance).isWaitingAt("escalateFailedReplacement");
        assertThat(task()).hasCandidateGroup("incident-commanders");
    }

    @Test
    void noAgentWithinDeliverWithinAsksAnOperatorAndOffersTheStepAgain() {
        ProcessInstance instance = upToTheCsr();
        assertThat(instance).isWaitingAt("requestAgentCsr");

        Job timer = management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .timers()
                .activityId("agentCsrLate")
                .singleResult();
        assertThat(timer).as("the deliver-within timer").isNotNull();
        management.executeJob(timer.getId());

        assertThat(instance).isWaitingAt("agentNotPolling");
        assertThat(task()).hasCandidateGroup("operators");
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete(task(), Map.of("agentNotes", "restarted"));
        RunbookFixture.run(management, instance, "requestAgentCsr");
        assertThat(fetch(AgentTopics.csrTopic(GROUP)))
                .as("offered to the group's agents again")
                .isNotNull();
    }

    @Test
    void noAgentForTheDeploymentEscalatesToAPerson() {
        ProcessInstance instance = upToTheCsr();
        externalTasks.complete(
                fetch(AgentTopics.csrTopic(GROUP)).getId(), "agent-1", null, Map.of(AgentTopics.CSR, CSR));
        RunbookFixture.run(management, instance, "issueCertificate");
        RunbookFixture.run(management, instance, "deployCertificate");
        RunbookFixture.run(management, instance, "deployThroughAgent");

        Job timer = management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .timers()
                .activityId("agentDeployLate")
                .singleResult();
        management.executeJob(timer.getId());

        assertThat(instance).isWaitingAt("escalateFailedReplacement");
    }

    private ProcessInstance upToTheCsr() {
        Map<String, Object> variables = new HashMap<>();
        variables.put("pageIncidentCommander", false);
        variables.put("openedAt", Instant.now().toString());
        variables.put("incidentId", INCIDENT);
        variables.put("endpoint", "web");
        variables.put("category", "expiry");
        variables.put("subcategory", "expired-production");
        variables.put("severity", "tier-1");
        variables.put("responseSla", "PT15M");
        variables.put("updateCadence", "PT30M");
        ProcessInstance instance = runtime.startProcessInstanceByKey("expiry-incident", INCIDENT, variables);
        for (String step : List.of("confirmCause", "identifyOwnership", "notifyOwners", "requestAgentCsr")) {
            RunbookFixture.run(management, instance, step);
        }
        return instance;
    }

    private LockedExternalTask fetch(String topic) {
        List<LockedExternalTask> locked =
                externalTasks.fetchAndLock(1, "agent-1").topic(topic, 60_000).execute();
        assertThat(locked).as("a task on " + topic).hasSize(1);
        return locked.get(0);
    }
}
