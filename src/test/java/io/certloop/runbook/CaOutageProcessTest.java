package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskQuery;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.certloop.inventory.ReplacementPath;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.outage.CaOutageService;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path of {@code ca-outage}, with an {@code expiry-incident} runbook waiting on the same issuer: the health
 * loop resumes it by message, the fallback needs a commander's request and another person's approval, and an
 * outage opened by hand goes to a person.
 */
@Deployment(resources = {"processes/ca-outage.bpmn", "processes/expiry-incident.bpmn"})
class CaOutageProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String OUTAGE = "INC-2026-000700";
    static final String WAITING = "INC-2026-000701";
    static final String ISSUER = "acme";

    RunbookFixture fixture;
    RuntimeService runtime;
    ManagementService management;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        runtime = engine.getRuntimeService();
        management = engine.getManagementService();
        when(fixture.inventory.get("web")).thenReturn(RunbookFixture.web(ReplacementPath.ACME, null));
        when(fixture.outages.issuerOf(OUTAGE)).thenReturn(Optional.of(ISSUER));
        when(fixture.outages.recovered(OUTAGE)).thenReturn(new CaOutageService.Recovery(ISSUER, List.of(WAITING)));
        when(fixture.remediation.issuancePath("web", null)).thenReturn(ISSUER);
    }

    @Test
    void theHealthCheckResolvesTheOutageWhenTheIssuerAnswersAndTheWaitingRunbookResumes() {
        ProcessInstance waiting = waitingExpiryRunbook(false);
        ProcessInstance outage = startOutage();
        runThrough(outage, "identifyOwnership", "notifyOwners", "identifyIssuer");
        assertThat(runtime.getVariable(outage.getId(), "issuer")).isEqualTo(ISSUER);
        assertThat(outage).hasPassed("noFallbackConfigured");

        when(fixture.outages.answers(OUTAGE)).thenReturn(false);
        runThrough(outage, "checkIssuerHealth");
        assertThat(outage).isWaitingAt("waitBeforeHealthCheck");
        var timer = management
                .createJobQuery()
                .processInstanceId(outage.getId())
                .activityId("waitBeforeHealthCheck")
                .singleResult();
        assertThat(Duration.between(Instant.now(), timer.getDuedate().toInstant()))
                .as("the configured interval")
                .isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
        verify(fixture.outages, never()).recovered(anyString());
        assertThat(waiting).isWaitingAt("waitForIssuer");

        when(fixture.outages.answers(OUTAGE)).thenReturn(true);
        runThrough(outage, "waitBeforeHealthCheck", "checkIssuerHealth", "resumeWaitingRunbooks");

        verify(fixture.outages).recovered(OUTAGE);
        assertThat(fixture.incidents.last.get("runbooks-resumed")).containsEntry("runbooks", List.of(WAITING));
        assertThat(waiting).hasPassed("issuerRecovered").isWaitingAt("issueCertificate");
        assertThat(runtime.getVariable(waiting.getId(), "waitingOnIssuer")).isNull();

        runThrough(outage, "notifyRecovered");
        assertThat(fixture.notifications).contains("issuer-recovered");
        assertThat(outage).hasPassed("issuerRecoveredEnd").isWaitingAt("reviewIncident");
        complete(
                taskQuery().processInstanceId(outage.getId()).singleResult(),
                Map.of(
                        "rootCause",
                        "the ACME server was down",
                        "detectionGap",
                        "none",
                        "operatingModelChange",
                        "none"));
        runThrough(outage, "closeIncident", "notifyClosed");
        assertThat(outage).isEnded();
        assertThat(fixture.incidents.closed).contains(OUTAGE);
    }

    @Test
    void anIssuerThatKeepsFailingIsAskedAgainOnTheTimerAndNothingElseMoves() {
        ProcessInstance outage = startOutage();
        runThrough(outage, "identifyOwnership", "notifyOwners", "identifyIssuer");
        when(fixture.outages.answers(OUTAGE)).thenReturn(false);
        for (int round = 0; round < 3; round++) {
            runThrough(outage, "checkIssuerHealth", "waitBeforeHealthCheck");
        }
        assertThat(outage).isWaitingAt("checkIssuerHealth");
        verify(fixture.outages, never()).recovered(anyString());
        assertThat(fixture.incidents.resolved).doesNotContain(OUTAGE);
    }

    @Test
    void anApprovedFallbackReroutesTheWaitingRunbooksButNeverOnTheRequestersOwnWord() {
        ProcessInstance waiting = waitingExpiryRunbook(true);
        when(fixture.outages.fallbackConfigured(ISSUER)).thenReturn(true);
        ProcessInstance outage = startOutage();
        runThrough(outage, "identifyOwnership", "notifyOwners", "identifyIssuer");

        Task decide = taskQuery().taskDefinitionKey("decideFallback").singleResult();
        assertThat(decide).hasCandidateGroup("incident-commanders");
        as("iris", () -> complete(decide, Map.of("fallbackRequested", true, "handlingNotes", "the CA says hours")));
        verify(fixture.outages).fallbackRequested(OUTAGE, "iris");
        fixture.requesterByProcess.put(outage.getId(), "iris");

        Task approve = taskQuery().taskDefinitionKey("approveFallbackIssuer").singleResult();
        assertThat(approve).hasCandidateGroup("approvers");
        assertThatThrownBy(() -> as(
                        "iris",
                        () -> engine.getTaskService()
                                .complete(approve.getId(), Map.of("fallbackApproved", true, "decisionComment", "ok"))))
                .isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining("four eyes: iris requested this and cannot decide it");
        verify(fixture.outages, never()).fallbackDecided(anyString(), anyString(), eq(true), anyString());

        as(
                "alex",
                () -> engine.getTaskService()
                        .complete(approve.getId(), Map.of("fallbackApproved", true, "decisionComment", "go")));
        verify(fixture.outages).fallbackDecided(OUTAGE, "alex", true, "go");
        when(fixture.outages.approvedFallbackFor(WAITING)).thenReturn(Optional.of("internal-ca"));
        when(fixture.remediation.beginIssuanceThrough("web", WAITING + ":issue:1", "internal-ca"))
                .thenReturn(ExpiryIncidentProcessTest.issued());
        runThrough(outage, "useFallbackIssuer");

        assertThat(outage).hasPassed("fallbackInUse").isWaitingAt("checkIssuerHealth");
        assertThat(waiting).hasPassed("fallbackIssuerApproved").isWaitingAt("issueCertificate");
        runThrough(waiting, "issueCertificate");
        verify(fixture.remediation).beginIssuanceThrough("web", WAITING + ":issue:1", "internal-ca");
    }

    @Test
    void aDeclinedFallbackLeavesTheRunbooksWaitingForTheIssuer() {
        ProcessInstance waiting = waitingExpiryRunbook(true);
        when(fixture.outages.fallbackConfigured(ISSUER)).thenReturn(true);
        ProcessInstance outage = startOutage();
        runThrough(outage, "identifyOwnership", "notifyOwners", "identifyIssuer");
        as(
                "iris",
                () -> complete(
                        taskQuery().taskDefinitionKey("decideFallback").singleResult(),
                        Map.of("fallbackRequested", true, "handlingNotes", "long outage")));
        fixture.requesterByProcess.put(outage.getId(), "iris");
        as(
                "alex",
                () -> complete(
                        taskQuery().taskDefinitionKey("approveFallbackIssuer").singleResult(),
                        Map.of("fallbackApproved", false, "decisionComment", "wait for the CA")));

        verify(fixture.outages).fallbackDecided(OUTAGE, "alex", false, "wait for the CA");
        assertThat(outage).hasPassed("fallbackDeclined").isWaitingAt("checkIssuerHealth");
        assertThat(waiting).isWaitingAt("waitForIssuer");
    }

    @Test
    void aCommanderMayLetTheRunbooksWaitAndTheRecoveryEndsTheOpenDecision() {
        when(fixture.outages.fallbackConfigured(ISSUER)).thenReturn(true);
        ProcessInstance outage = startOutage();
        runThrough(outage, "identifyOwnership", "notifyOwners", "identifyIssuer");
        assertThat(taskQuery().taskDefinitionKey("decideFallback").singleResult())
                .isNotNull();

        // the issuer answers while the decision is still open: the recovery ends the response, task included
        when(fixture.outages.answers(OUTAGE)).thenReturn(true);
        runThrough(outage, "checkIssuerHealth", "resumeWaitingRunbooks", "notifyRecovered");
        assertThat(taskQuery().taskDefinitionKey("decideFallback").count()).isZero();
        assertThat(outage).isWaitingAt("reviewIncident");

        ProcessInstance second = startOutage("INC-2026-000702");
        when(fixture.outages.issuerOf("INC-2026-000702")).thenReturn(Optional.of(ISSUER));
        runThrough(second, "identifyOwnership", "notifyOwners", "identifyIssuer");
        as(
                "iris",
                () -> complete(
                        taskQuery()
                                .processInstanceId(second.getId())
                                .taskDefinitionKey("decideFallback")
                                .singleResult(),
                        Map.of("fallbackRequested", false, "handlingNotes", "the CA promises minutes")));
        assertThat(second).hasPassed("fallbackNotRequested").isWaitingAt("checkIssuerHealth");
        verify(fixture.outages, never()).fallbackRequested(anyString(), anyString());
    }

    @Test
    void anOutageOpenedByHandHasNoIssuerRecordAndGoesToAPerson() {
        when(fixture.outages.issuerOf(OUTAGE)).thenReturn(Optional.empty());
        ProcessInstance outage = startOutage();
        runThrough(outage, "identifyOwnership", "notifyOwners", "identifyIssuer");
        assertThat(outage).isWaitingAt("handleCaOutage");
        as("iris", () -> complete(task(outage), Map.of("handlingNotes", "the vendor fixed it")));
        runThrough(outage, "recordHandling", "notifyResolved");
        assertThat(outage).isWaitingAt("reviewIncident");
        verify(fixture.outages, never()).answers(anyString());
    }

    /** An expiry runbook whose issuance through {@code acme} failed and that now waits on {@link #OUTAGE}. */
    private ProcessInstance waitingExpiryRunbook(boolean fallbackAvailable) {
        when(fixture.remediation.confirm("web"))
                .thenReturn(new io.certloop.remediation.Confirmation(
                        true,
                        true,
                        false,
                        false,
                        "b".repeat(64),
                        Instant.now().minusSeconds(60),
                        List.of("EXPIRED"),
                        "expired"));
        when(fixture.remediation.beginIssuance("web", WAITING + ":issue:0"))
                .thenThrow(new CaUnavailableException("connection refused", null));
        when(fixture.outages.issuanceFailed(eq(WAITING), eq(ISSUER), anyString(), eq(true), isNull()))
                .thenReturn(new CaOutageService.FailureOutcome(
                        ISSUER, 3, OUTAGE, Duration.ofSeconds(1), fallbackAvailable));
        Map<String, Object> variables = new HashMap<>();
        variables.put("incidentId", WAITING);
        variables.put("endpoint", "web");
        variables.put("category", "expiry");
        variables.put("subcategory", "expired-production");
        variables.put("severity", "SEV2");
        variables.put("responseSla", "PT30M");
        variables.put("updateCadence", "PT1H");
        variables.put("openedAt", Instant.now().toString());
        variables.put("pageIncidentCommander", false);
        variables.put("issueAttempts", 0);
        variables.put("deployAttempts", 0);
        variables.put("verifyAttempts", 0);
        ProcessInstance instance = runtime.startProcessInstanceByKey("expiry-incident", WAITING, variables);
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "recordIssuerFailure");
        assertThat(instance).isWaitingAt("waitForIssuer");
        return instance;
    }

    private ProcessInstance startOutage() {
        return startOutage(OUTAGE);
    }

    private ProcessInstance startOutage(String incidentId) {
        return runtime.startProcessInstanceByKey(
                "ca-outage",
                incidentId,
                Map.of(
                        "incidentId",
                        incidentId,
                        "endpoint",
                        "web",
                        "category",
                        "ca-outage",
                        "subcategory",
                        "public-ca-down",
                        "severity",
                        "SEV2",
                        "responseSla",
                        "PT30M",
                        "updateCadence",
                        "PT1H"));
    }

    private static Task task(ProcessInstance instance) {
        return taskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private void as(String user, Runnable action) {
        engine.getIdentityService().setAuthenticatedUserId(user);
        try {
            action.run();
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    private void runThrough(ProcessInstance instance, String... activities) {
        for (String activity : activities) {
            RunbookFixture.run(management, instance, activity);
        }
    }
}
