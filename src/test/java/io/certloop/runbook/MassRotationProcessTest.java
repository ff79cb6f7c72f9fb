package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.certloop.system.ConflictException;
import io.certloop.system.ForbiddenException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path of {@code mass-rotation} with the real delegates and listeners over a rotation record kept in memory:
 * the canary first and every wave as one job (more when it is larger than a step), approval by someone other than the requester, a halted wave
 * continued, retried and aborted, a pause and its resumption (by message and by the runbook looking again).
 */
@Deployment(resources = "processes/mass-rotation.bpmn")
class MassRotationProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String ROTATION = "ROT-2026-000042";
    static final String REQUESTER = "rita";

    RuntimeService runtime;
    TaskService tasks;
    ManagementService management;
    IdentityService identity;
    FakeRotationLog rotations;

    @BeforeEach
    void setUp() {
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        runtime = engine.getRuntimeService();
        tasks = engine.getTaskService();
        management = engine.getManagementService();
        identity = engine.getIdentityService();
        rotations = new FakeRotationLog(List.of(List.of("c1", "c2"), List.of("a", "b", "c"), List.of("d", "e")));
        Mocks.reset();
        Mocks.register("fourEyesListener", new FourEyesListener(pid -> Optional.of(REQUESTER)));
        Mocks.register("recordRotationApprovalListener", new RecordRotationApprovalListener(rotations));
        Mocks.register("recordRotationHaltDecisionListener", new RecordRotationHaltDecisionListener(rotations));
        Mocks.register("planRotationWaveDelegate", new PlanRotationWaveDelegate(rotations));
        Mocks.register("rotateWaveDelegate", new RotateWaveDelegate(rotations));
        Mocks.register("assessRotationWaveDelegate", new AssessRotationWaveDelegate(rotations));
        Mocks.register("finishRotationDelegate", new FinishRotationDelegate(rotations));
    }

    @AfterEach
    void tearDown() {
        identity.clearAuthentication();
    }

    @Test
    void theCanaryWaveRunsFirstThenEveryWaveAsOneJobWithEveryEndpointRotatedOnce() {
        ProcessInstance instance = start(false);
        RunbookFixture.run(management, instance, "planWave");
        assertThat(rotateJobs(instance))
                .as("the canary wave: one job for the wave, not one per endpoint")
                .hasSize(1)
                .allSatisfy(job -> assertThat(
                                ((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) job).isExclusive())
                        .isTrue());
        drain(instance);

        assertThat(rotations.rotatedInOrder).containsExactly("c1", "c2", "a", "b", "c", "d", "e");
        assertThat(rotations.rotations)
                .allSatisfy((endpoint, times) ->
                        assertThat(times).as(endpoint + " rotated once").isEqualTo(1));
        assertThat(rotations.steps).containsExactly(0, 1, 2);
        assertThat(rotations.wavesAssessed).containsExactly(0, 1, 2);
        assertThat(instance).hasPassed("finishRotation").isEnded();
        assertThat(rotations.finished).isTrue();
    }

    @Test
    void aWaveLargerThanOneStepGoesOnInFurtherStepsBeforeItIsAssessed() {
        rotations.perStep = 2;
        ProcessInstance instance = start(false);
        drain(instance);
        assertThat(rotations.steps).as("wave 1 (3 endpoints) in two steps").containsExactly(0, 1, 1, 2);
        assertThat(rotations.wavesAssessed).containsExactly(0, 1, 2);
        assertThat(rotations.rotatedInOrder).containsExactly("c1", "c2", "a", "b", "c", "d", "e");
        assertThat(instance).isEnded();
    }

    @Test
    void aRetriedWaveJobDoesNotRotateAVerifiedEndpointAgain() {
        ProcessInstance instance = start(false);
        RunbookFixture.run(management, instance, "planWave");
        management.executeJob(rotateJobs(instance).get(0).getId());
        // the same wave asked again, as after a restart that lost the job's commit
        rotations.rotateWave(ROTATION, 0);
        drain(instance);
        assertThat(rotations.rotations.values()).containsOnly(1);
        assertThat(instance).isEnded();
    }

    @Test
    void overTheThresholdTheRequesterCannotApproveAndAnotherApproverStartsTheRotation() {
        ProcessInstance instance = start(true);
        assertThat(instance).isWaitingAt("approveRotation");
        assertThat(task(instance)).hasCandidateGroup("approvers");
        String taskId = task(instance).getId();
        assertThatThrownBy(() -> tasks.claim(taskId, REQUESTER))
                .hasRootCauseInstanceOf(AuthorizationException.class)
                .hasMessageContaining("four eyes");
        identity.setAuthentication(REQUESTER, List.of("approvers"));
        assertThatThrownBy(() -> tasks.complete(taskId, Map.of("rotationDecision", "approve")))
                .hasRootCauseInstanceOf(AuthorizationException.class);
        assertThat(instance).isWaitingAt("approveRotation");
        assertThat(rotations.rotatedInOrder).isEmpty();

        identity.setAuthentication("alice", List.of("approvers"));
        tasks.complete(taskId, Map.of("rotationDecision", "approve", "decisionComment", "CA distrust, go"));
        assertThat(rotations.decisions).containsExactly("alice:approve");
        drain(instance);
        assertThat(rotations.rotatedInOrder).hasSize(7);
        assertThat(instance).isEnded();
    }

    @Test
    void aRejectedRotationRotatesNothingAndEnds() {
        ProcessInstance instance = start(true);
        identity.setAuthentication("alice", List.of("approvers"));
        tasks.complete(
                task(instance).getId(),
                Map.of("rotationDecision", "reject", "decisionComment", "not during the freeze"));
        drain(instance);
        assertThat(instance)
                .hasPassed("finishRotation")
                .hasNotPassed("planWave")
                .isEnded();
        assertThat(rotations.rotatedInOrder).isEmpty();
    }

    @Test
    void aFailedCanaryHaltsForTheCommandersAndContinueGoesOnWithTheNextWave() {
        rotations.failing.add("c2");
        ProcessInstance instance = start(false);
        drain(instance);
        assertThat(instance).isWaitingAt("decideHaltedRotation");
        assertThat(task(instance)).hasCandidateGroup("incident-commanders");
        assertThat(rotations.rotatedInOrder).containsExactly("c1", "c2");

        complete(instance, "continue");
        drain(instance);
        assertThat(rotations.rotatedInOrder).containsExactly("c1", "c2", "a", "b", "c", "d", "e");
        assertThat(rotations.states.get("c2")).isEqualTo("failed");
        assertThat(instance).isEnded();
    }

    @Test
    void retryPutsTheFailedEndpointsOfTheWaveBackAndRotatesThemAgain() {
        rotations.failing.add("b");
        ProcessInstance instance = start(false);
        drain(instance);
        assertThat(instance).isWaitingAt("decideHaltedRotation");
        rotations.failing.clear(); // whatever broke b is fixed

        complete(instance, "retry");
        drain(instance);
        assertThat(rotations.rotatedInOrder).containsExactly("c1", "c2", "a", "b", "c", "b", "d", "e");
        assertThat(rotations.states.get("b")).isEqualTo("verified");
        assertThat(rotations.wavesAssessed).containsExactly(0, 1, 1, 2);
        assertThat(instance).isEnded();
    }

    @Test
    void abortEndsTheRotationWithTheRestNotRotated() {
        rotations.failing.add("a");
        ProcessInstance instance = start(false);
        drain(instance);
        complete(instance, "abort");
        drain(instance);
        assertThat(instance).hasPassed("finishRotation").isEnded();
        assertThat(rotations.aborted).isTrue();
        assertThat(rotations.rotatedInOrder).doesNotContain("d", "e");
    }

    @Test
    void aHaltDecisionMustBeContinueRetryOrAbort() {
        rotations.failing.add("c1");
        ProcessInstance instance = start(false);
        drain(instance);
        identity.setAuthentication("ivan", List.of("incident-commanders"));
        assertThatThrownBy(() -> tasks.complete(
                        task(instance).getId(), Map.of("haltDecision", "shrug", "decisionComment", "why not")))
                .hasMessageContaining("continue, retry or abort");
        assertThat(instance).isWaitingAt("decideHaltedRotation");
    }

    @Test
    void aPausedRotationWaitsAndGoesOnWhereItStoppedWhenResumed() {
        ProcessInstance instance = start(false);
        RunbookFixture.run(management, instance, "planWave");
        rotations.paused = true; // paused while the canary's job waits: it starts nothing
        drain(instance);
        assertThat(instance).isWaitingAt("waitForResume");
        assertThat(rotations.rotatedInOrder).isEmpty();

        rotations.paused = false;
        runtime.createMessageCorrelation("rotationResumed")
                .processInstanceBusinessKey(ROTATION)
                .correlate();
        drain(instance);
        assertThat(rotations.rotatedInOrder).containsExactly("c1", "c2", "a", "b", "c", "d", "e");
        assertThat(instance).isEnded();
    }

    @Test
    void aResumptionWhoseMessageWasLostIsSeenWhenTheRunbookLooksAgain() {
        ProcessInstance instance = start(false);
        rotations.paused = true;
        drain(instance);
        assertThat(instance).isWaitingAt("waitForResume");
        RunbookFixture.run(management, instance, "lookAgain");
        assertThat(instance).isWaitingAt("planWave");
        drain(instance);
        assertThat(instance).as("still paused: waits again").isWaitingAt("waitForResume");

        rotations.paused = false;
        RunbookFixture.run(management, instance, "lookAgain");
        drain(instance);
        assertThat(rotations.rotatedInOrder).hasSize(7);
        assertThat(instance).isEnded();
    }

    private ProcessInstance start(boolean approvalRequired) {
        rotations.requester = REQUESTER;
        Map<String, Object> variables = new HashMap<>();
        variables.put("rotationId", ROTATION);
        variables.put("reason", "intermediate distrusted");
        variables.put("requester", REQUESTER);
        variables.put("approvalRequired", approvalRequired);
        variables.put("endpointCount", 7);
        variables.put("waves", 3);
        return runtime.startProcessInstanceByKey("mass-rotation", ROTATION, variables);
    }

    private void complete(ProcessInstance instance, String decision) {
        identity.setAuthentication("ivan", List.of("incident-commanders"));
        tasks.complete(task(instance).getId(), Map.of("haltDecision", decision, "decisionComment", "decided"));
        identity.clearAuthentication();
    }

    private List<Job> rotateJobs(ProcessInstance instance) {
        return management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .activityId("rotateWave")
                .list();
    }

    /** Runs every due job (oldest first) until none is left but timers; rotate jobs in creation order. */
    private void drain(ProcessInstance instance) {
        for (int i = 0; i < 500; i++) {
            List<Job> jobs = management
                    .createJobQuery()
                    .processInstanceId(instance.getId())
                    .messages()
                    .list();
            List<Job> messages = jobs.stream()
                    .filter(j ->
                            !"timer".equals(((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) j).getType()))
                    .sorted(java.util.Comparator.comparing(
                            j -> ((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) j).getSequenceCounter()))
                    .toList();
            if (messages.isEmpty()) {
                return;
            }
            management.executeJob(messages.get(0).getId());
        }
        throw new AssertionError("jobs did not settle");
    }

    /** The rotation record's rules, in memory. */
    static final class FakeRotationLog implements RotationLog {
        final List<List<String>> waves;
        final Map<String, String> states = new LinkedHashMap<>();
        final Map<String, Integer> rotations = new LinkedHashMap<>();
        final List<String> rotatedInOrder = new ArrayList<>();
        final Set<String> failing = new LinkedHashSet<>();
        final List<Integer> wavesAssessed = new ArrayList<>();
        final List<Integer> steps = new ArrayList<>();
        int perStep = Integer.MAX_VALUE;
        final List<String> decisions = new ArrayList<>();
        String requester;
        boolean paused;
        boolean halted;
        boolean aborted;
        boolean finished;
        int current;

        FakeRotationLog(List<List<String>> waves) {
            this.waves = waves;
            waves.forEach(wave -> wave.forEach(e -> states.put(e, "pending")));
        }

        @Override
        public Plan nextWave(String rotationId) {
            if (paused) {
                return new Plan("paused", current, 0);
            }
            if (aborted) {
                return new Plan("done", current, 0);
            }
            for (int wave = 0; wave < waves.size(); wave++) {
                List<String> pending = pendingOf(rotationId, wave);
                if (!pending.isEmpty()) {
                    current = wave;
                    return new Plan("rotate", wave, pending.size());
                }
            }
            return new Plan("done", current, 0);
        }

        List<String> pendingOf(String rotationId, int wave) {
            return waves.get(wave).stream()
                    .filter(e -> "pending".equals(states.get(e)))
                    .toList();
        }

        @Override
        public boolean rotateWave(String rotationId, int wave) {
            steps.add(wave);
            if (paused || halted || aborted) {
                return false;
            }
            pendingOf(rotationId, wave).stream().limit(perStep).forEach(endpoint -> {
                rotatedInOrder.add(endpoint);
                rotations.merge(endpoint, 1, Integer::sum);
                states.put(endpoint, failing.contains(endpoint) ? "failed" : "verified");
            });
            return !pendingOf(rotationId, wave).isEmpty();
        }

        @Override
        public boolean assessWave(String rotationId, int wave) {
            wavesAssessed.add(wave);
            halted = waves.get(wave).stream().anyMatch(e -> "failed".equals(states.get(e)));
            return halted;
        }

        @Override
        public boolean decide(String rotationId, String decidedBy, boolean approve, String comment) {
            if (requester.equals(decidedBy)) {
                throw new ForbiddenException("four eyes");
            }
            decisions.add(decidedBy + ":" + (approve ? "approve" : "reject"));
            return approve;
        }

        @Override
        public String resolveHalt(String rotationId, String decision, String decidedBy, String comment) {
            if (!halted) {
                throw new ConflictException("not halted");
            }
            switch (decision == null ? "" : decision) {
                case "continue" -> {}
                case "retry" ->
                    waves.get(current)
                            .forEach(e -> states.computeIfPresent(e, (k, v) -> "failed".equals(v) ? "pending" : v));
                case "abort" -> aborted = true;
                default ->
                    throw new io.certloop.system.InvalidRequestException(
                            "haltDecision", "must be continue, retry or abort");
            }
            halted = false;
            return decision;
        }

        @Override
        public void finish(String rotationId) {
            finished = true;
        }
    }
}
