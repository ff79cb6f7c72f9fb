package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.certloop.inventory.ReplacementPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paths every category runbook shares: owners told, a person handles it, review, close; the
 * response SLA and update cadence timers from the severity policy; and the messages by which an
 * incident commander resolves (review follows) or closes (the runbook ends) any incident.
 */
@Deployment(
        resources = {
            "processes/revocation-propagation.bpmn",
            "processes/key-compromise.bpmn",
            "processes/trust-mismatch.bpmn",
            "processes/mis-issuance.bpmn",
            "processes/ca-outage.bpmn",
            "processes/expiry-incident.bpmn",
            "processes/renewed-not-deployed.bpmn"
        })
class CategoryRunbooksProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = "INC-2026-000500";

    /** Each category runbook still handled by a person as a whole, and the task they handle it in. */
    static List<org.junit.jupiter.params.provider.Arguments> handled() {
        return List.of(org.junit.jupiter.params.provider.Arguments.of("ca-outage", "handleCaOutage"));
    }

    static List<String> allRunbooks() {
        return List.copyOf(new java.util.TreeSet<>(RunbookLauncher.RUNBOOKS.values()));
    }

    RunbookFixture fixture;
    RuntimeService runtime;
    ManagementService management;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        runtime = engine.getRuntimeService();
        management = engine.getManagementService();
        org.mockito.Mockito.when(fixture.inventory.get("web"))
                .thenReturn(RunbookFixture.web(ReplacementPath.INTERNAL_CA, null));
    }

    @ParameterizedTest
    @MethodSource("handled")
    void theOwnersAreToldAPersonHandlesItAndTheReviewClosesTheIncident(String key, String handlingTask) {
        ProcessInstance instance = start(key);
        // a ca-outage opened by hand has no issuer record: a person handles it
        runThrough(instance, "identifyOwnership", "notifyOwners", "identifyIssuer");
        assertThat(instance).isWaitingAt(handlingTask);
        assertThat(fixture.notifications).contains("opened");

        engine.getIdentityService().setAuthenticatedUserId("iris");
        try {
            complete(task(), Map.of("handlingNotes", "replaced by hand and verified"));
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
        assertThat(instance).variables().containsEntry("resolvedBy", "iris");
        runThrough(instance, "recordHandling", "notifyResolved");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        assertThat(instance).isWaitingAt("reviewIncident");
        assertThat(slaAndCadenceTimers(instance))
                .as("no SLA or cadence timer once resolved")
                .isZero();
        assertThat(task()).hasCandidateGroup("incident-commanders");
        complete(
                task(),
                Map.of(
                        "rootCause",
                        "a person changed the chain",
                        "detectionGap",
                        "none",
                        "operatingModelChange",
                        "automate it"));
        runThrough(instance, "closeIncident", "notifyClosed");
        assertThat(instance)
                .isEnded()
                .hasPassedInOrder(handlingTask, "recordHandling", "reviewIncident", "closeIncident");
        assertThat(fixture.incidents.closed).contains(INCIDENT);
    }

    @ParameterizedTest
    @MethodSource("allRunbooks")
    void aCommanderResolvingTheIncidentInterruptsTheRunbookAndItEndsWithAReview(String key) {
        ProcessInstance instance = start(key);
        correlate(
                RunbookMessages.INCIDENT_RESOLVED, Map.of("resolvedBy", "iris", "resolutionReason", "fixed upstream"));

        assertThat(management
                        .createJobQuery()
                        .processInstanceId(instance.getId())
                        .timers()
                        .count())
                .as("the runbook's own steps and timers are cancelled")
                .isZero();
        runThrough(instance, "notifyResolvedByCommander");
        assertThat(fixture.notifications).contains("resolved-by-person");
        assertThat(instance).isWaitingAt("reviewResolvedIncident");
        assertThat(task()).hasCandidateGroup("incident-commanders");

        complete(
                task(),
                Map.of(
                        "rootCause",
                        "upstream",
                        "detectionGap",
                        "none",
                        "timeSpent",
                        "n/a",
                        "operatingModelChange",
                        "none"));
        if ("expiry-incident".equals(key)) {
            // it waits to close while a break-glass review is pending (ExpiryIncidentProcessTest)
            runThrough(instance, "checkCloseGuardsAfterReview");
        }
        runThrough(instance, "closeReviewedIncident", "notifyClosedAfterReview");
        assertThat(instance).isEnded().hasPassed("reviewedAfterCommanderResolution");
        assertThat(fixture.incidents.closed).contains(INCIDENT);
    }

    @ParameterizedTest
    @MethodSource("allRunbooks")
    void aCommanderClosingTheIncidentEndsTheRunbook(String key) {
        ProcessInstance instance = start(key);
        correlate(RunbookMessages.INCIDENT_CLOSED, Map.of("closedBy", "iris", "closeReason", "duplicate of INC-1"));
        runThrough(instance, "notifyClosedByCommander");
        assertThat(instance).isEnded().hasPassed("endedByCommanderClosure");
        assertThat(fixture.notifications).contains("closed-by-commander");
    }

    @ParameterizedTest
    @MethodSource("allRunbooks")
    void aCommanderCanStillCloseDuringTheReviewAfterResolving(String key) {
        ProcessInstance instance = start(key);
        correlate(RunbookMessages.INCIDENT_RESOLVED, Map.of("resolvedBy", "iris", "resolutionReason", "fixed"));
        runThrough(instance, "notifyResolvedByCommander");
        assertThat(instance).isWaitingAt("reviewResolvedIncident");
        correlate(RunbookMessages.INCIDENT_CLOSED, Map.of("closedBy", "iris", "closeReason", "no review needed"));
        runThrough(instance, "notifyClosedDuringReview");
        assertThat(instance).isEnded().hasPassed("closedDuringReview");
    }

    @ParameterizedTest
    @MethodSource("handled")
    void theResponseSlaAndUpdateCadenceFromTheSeverityPolicyAreTimers(String key, String handlingTask) {
        Instant started = Instant.now();
        ProcessInstance instance = start(key);
        Job sla = timer(instance, "responseSlaPassed");
        Job cadence = timer(instance, "updateDue");
        assertThat(Duration.between(started, sla.getDuedate().toInstant()))
                .isBetween(Duration.ofMinutes(29), Duration.ofMinutes(31));
        assertThat(Duration.between(started, cadence.getDuedate().toInstant()))
                .isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));

        management.executeJob(sla.getId());
        runThrough(instance, "escalateToCommander");
        assertThat(fixture.notifications).contains("escalated", "page:escalated");
        management.executeJob(cadence.getId());
        runThrough(instance, "sendStatusUpdate");
        assertThat(fixture.notifications).contains("status-update");
        assertThat(timer(instance, "updateDue")).as("the cadence repeats").isNotNull();
    }

    /**
     * The response SLA and the status-update cadence live in the {@code response} subprocess: leaving it for
     * the review removes them (they would survive this if they were process-level event subprocesses again).
     */
    @ParameterizedTest
    @MethodSource("allRunbooks")
    void theSlaAndCadenceTimersStopWhenTheResponseEndsAndTheReviewWaits(String key) {
        ProcessInstance instance = runtime.createProcessInstanceByKey(key)
                .businessKey(INCIDENT)
                .setVariables(Map.of(
                        "incidentId",
                        INCIDENT,
                        "endpoint",
                        "web",
                        "category",
                        key,
                        "severity",
                        "SEV2",
                        "responseSla",
                        "PT30M",
                        "updateCadence",
                        "PT1H"))
                .startBeforeActivity("response")
                .execute();
        assertThat(slaAndCadenceTimers(instance))
                .as("both timers run during the response")
                .isEqualTo(2);
        String next = "renewed-not-deployed".equals(key) ? "closeIncident" : "reviewIncident";
        runtime.createProcessInstanceModification(instance.getId())
                .startAfterActivity("response")
                .cancelAllForActivity("response")
                .execute();
        assertThat(instance).isWaitingAt(next);
        assertThat(slaAndCadenceTimers(instance))
                .as("no SLA or cadence timer after the response")
                .isZero();
    }

    private long slaAndCadenceTimers(ProcessInstance instance) {
        return management
                        .createJobQuery()
                        .processInstanceId(instance.getId())
                        .timers()
                        .activityId("responseSlaPassed")
                        .count()
                + management
                        .createJobQuery()
                        .processInstanceId(instance.getId())
                        .timers()
                        .activityId("updateDue")
                        .count();
    }

    private Job timer(ProcessInstance instance, String activityId) {
        return management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .timers()
                .activityId(activityId)
                .singleResult();
    }

    private void correlate(String message, Map<String, Object> variables) {
        runtime.createMessageCorrelation(message)
                .processInstanceBusinessKey(INCIDENT)
                .setVariables(variables)
                .correlateAllWithResult();
    }

    private ProcessInstance start(String key) {
        return runtime.startProcessInstanceByKey(
                key,
                INCIDENT,
                Map.of(
                        "incidentId",
                        INCIDENT,
                        "endpoint",
                        "web",
                        "category",
                        key,
                        "severity",
                        "SEV2",
                        "responseSla",
                        "PT30M",
                        "updateCadence",
                        "PT1H",
                        "issueAttempts",
                        0,
                        "deployAttempts",
                        0,
                        "verifyAttempts",
                        0));
    }

    private void runThrough(ProcessInstance instance, String... activities) {
        for (String activity : activities) {
            RunbookFixture.run(management, instance, activity);
        }
    }
}
