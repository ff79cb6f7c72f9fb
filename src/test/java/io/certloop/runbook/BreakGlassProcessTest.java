package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.certloop.deployment.DeploymentResult;
import io.certloop.incident.TimelineTypes;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.IssuanceStep;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.remediation.Verification;
import io.certloop.system.ForbiddenException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
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
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path of {@code break-glass} with the real listeners and delegates and mocked capabilities: four eyes,
 * two distinct approvers, rejection, emergency issue-deploy-verify, the standard replacement before half the
 * emergency validity, rollback, the board's review and its overdue escalation.
 */
@Deployment(resources = "processes/break-glass.bpmn")
class BreakGlassProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = "INC-2026-000099";
    static final String BREAK_GLASS = "BG-2026-000001";
    static final String REQUESTER = "oscar";
    static final String EMERGENCY = "e".repeat(64);
    static final String STANDARD = "5".repeat(64);
    static final Instant ISSUED_AT = Instant.now();

    RunbookFixture fixture;
    FakeBreakGlassLog records;
    List<String> notified;
    RuntimeService runtime;
    TaskService tasks;
    ManagementService management;
    IdentityService identity;

    @BeforeEach
    void setUp() {
        records = new FakeBreakGlassLog(1);
        fixture = new RunbookFixture(records);
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        runtime = engine.getRuntimeService();
        tasks = engine.getTaskService();
        management = engine.getManagementService();
        identity = engine.getIdentityService();
        notified = new ArrayList<>();
        Mocks.register("fourEyesListener", new FourEyesListener(pid -> Optional.of(REQUESTER)));
        Mocks.register("recordBreakGlassDecisionListener", new RecordBreakGlassDecisionListener(records));
        Mocks.register("recordBreakGlassReviewListener", new RecordBreakGlassReviewListener(records));
        Mocks.register(
                "recordStandardReplacementFailedListener",
                new RecordStandardReplacementFailedListener(fixture.incidents, records));
        Mocks.register(
                "issueProfileCertificateDelegate",
                new IssueProfileCertificateDelegate(fixture.remediation, fixture.incidents, fixture.records));
        Mocks.register(
                "recordBreakGlassReplacementDelegate",
                new RecordBreakGlassReplacementDelegate(
                        fixture.remediation, records, fixture.incidents, fixture.records));
        Mocks.register(
                "notifyBreakGlassDelegate",
                new NotifyBreakGlassDelegate(
                        (reference, endpoint, requester, audience, kind, subject, body) -> {
                            notified.add(kind + ":" + audience);
                            return List.of();
                        },
                        fixture.incidents,
                        records));
        when(fixture.remediation.beginIssuance(eq("web"), anyString(), eq("emergency")))
                .thenReturn(new IssuanceStep.Issued("cert-e", certificate("cert-e", EMERGENCY, Duration.ofDays(7))));
        when(fixture.remediation.endpointProfile("web")).thenReturn("standard");
        when(fixture.remediation.beginIssuance(eq("web"), anyString(), eq("standard")))
                .thenReturn(new IssuanceStep.Issued("cert-s", certificate("cert-s", STANDARD, Duration.ofDays(90))));
        when(fixture.remediation.issuedUnder("web", BREAK_GLASS + ":issue:emergency"))
                .thenReturn(Optional.of(certificate("cert-e", EMERGENCY, Duration.ofDays(7))));
        when(fixture.remediation.issuedUnder("web", BREAK_GLASS + ":issue:endpoint"))
                .thenReturn(Optional.of(certificate("cert-s", STANDARD, Duration.ofDays(90))));
        when(fixture.remediation.certificate("cert-e"))
                .thenReturn(certificate("cert-e", EMERGENCY, Duration.ofDays(7)));
        when(fixture.remediation.certificate("cert-s"))
                .thenReturn(certificate("cert-s", STANDARD, Duration.ofDays(90)));
        when(fixture.remediation.deploy(eq("web"), anyString(), anyString()))
                .thenAnswer(call ->
                        ExpiryIncidentProcessTest.deployment(call.getArgument(2), DeploymentResult.Outcome.SUCCEEDED));
        when(fixture.remediation.verify("web", EMERGENCY)).thenReturn(verification(true, EMERGENCY));
        when(fixture.remediation.verify("web", STANDARD)).thenReturn(verification(true, STANDARD));
        when(fixture.remediation.rollback(anyString()))
                .thenAnswer(call -> new DeploymentResult(
                        call.getArgument(0),
                        DeploymentResult.Operation.ROLLBACK,
                        DeploymentResult.Outcome.SUCCEEDED,
                        List.of(),
                        null,
                        null,
                        Instant.now(),
                        Instant.now()));
    }

    @AfterEach
    void tearDown() {
        identity.clearAuthentication();
    }

    @Test
    void theRequesterCannotApproveTheirOwnBreakGlass() {
        ProcessInstance instance = start();
        Task approval = task(instance, "approveBreakGlass");
        assertThat(approval).hasCandidateGroup("approvers");
        assertThatThrownBy(() -> tasks.setAssignee(approval.getId(), REQUESTER))
                .hasRootCauseInstanceOf(AuthorizationException.class);
        identity.setAuthentication(REQUESTER, List.of("approvers", "camunda-admin"));
        assertThatThrownBy(() -> tasks.complete(approval.getId(), decision("approve", "urgent")))
                .hasRootCauseInstanceOf(AuthorizationException.class)
                .hasMessageContaining("four eyes");
        assertThat(instance).isWaitingAt("approveBreakGlass");
        assertThat(records.approvers).isEmpty();
    }

    @Test
    void anApprovalIssuesFromTheEmergencyProfileDeploysVerifiesThenReplacesWithAStandardCertificate() {
        ProcessInstance instance = start();
        approve(instance, "alice");

        assertThat(instance).isWaitingAt("issueEmergencyCertificate", "reviewBreakGlass");
        Task review = task(instance, "reviewBreakGlass");
        assertThat(review).hasCandidateGroup("pki-board");
        assertThat(review.getDueDate()).isEqualTo(Date.from(records.reviewDue));

        runThrough(
                instance,
                "issueEmergencyCertificate",
                "deployEmergencyCertificate",
                "verifyEmergencyCertificate",
                "recordEmergencyReplacement");
        verify(fixture.remediation).beginIssuance("web", BREAK_GLASS + ":issue:emergency", "emergency");
        verify(fixture.remediation).deploy("web", "cert-e", BREAK_GLASS + "-emergency-deploy-1");
        verify(fixture.remediation).expect("web", EMERGENCY);
        assertThat(records.emergency).isEqualTo(EMERGENCY);
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        Date replaceAt = (Date) runtime.getVariable(instance.getId(), "standardReplacementAt");
        assertThat(replaceAt.toInstant())
                .as("before half of the emergency validity has passed")
                .isBefore(ISSUED_AT.plus(Duration.ofDays(7).dividedBy(2)));

        runThrough(
                instance,
                "standardReplacementDue",
                "issueStandardCertificate",
                "deployStandardCertificate",
                "verifyStandardCertificate",
                "recordStandardReplacement");
        verify(fixture.remediation).beginIssuance("web", BREAK_GLASS + ":issue:endpoint", "standard");
        verify(fixture.remediation).deploy("web", "cert-s", BREAK_GLASS + "-standard-deploy-1");
        verify(fixture.remediation).expect("web", STANDARD);
        assertThat(records.standard).isEqualTo(STANDARD);
        assertThat(instance).isWaitingAt("reviewBreakGlass");

        identity.setAuthentication("bea", List.of("pki-board"));
        tasks.complete(
                review.getId(),
                Map.of(
                        "whyNormalPathFailed",
                        "ACME was down",
                        "emergencyProfileHeld",
                        "yes",
                        "operatingChanges",
                        "second ACME CA"));
        assertThat(records.reviewer).isEqualTo("bea");
        assertThat(instance).isEnded().hasPassed("breakGlassClosed");
    }

    @Test
    void variablesNamingAnotherEndpointOrCertificateChangeNothing() {
        ProcessInstance instance = start();
        approve(instance, "alice");
        RunbookFixture.run(management, instance, "issueEmergencyCertificate");
        // what an administrator (the only one who may) could set: the steps read the records instead
        runtime.setVariable(instance.getId(), "endpoint", "elsewhere");
        runtime.setVariable(instance.getId(), "certificateId", "cert-forged");
        runtime.setVariable(instance.getId(), "issuedSha256", "f".repeat(64));
        runtime.setVariable(instance.getId(), "breakGlassId", "BG-2026-999999");
        runThrough(instance, "deployEmergencyCertificate", "verifyEmergencyCertificate", "recordEmergencyReplacement");
        verify(fixture.remediation).deploy("web", "cert-e", BREAK_GLASS + "-emergency-deploy-1");
        verify(fixture.remediation, never()).deploy(eq("elsewhere"), anyString(), anyString());
        verify(fixture.remediation).verify("web", EMERGENCY);
        verify(fixture.remediation).expect("web", EMERGENCY);
        assertThat(records.emergency).isEqualTo(EMERGENCY);
    }

    @Test
    void aStepOfAProcessWithoutABreakGlassRecordFailsInsteadOfReadingVariables() {
        records.missing = true;
        ProcessInstance instance = start();
        approve(instance, "alice");
        assertThatThrownBy(() -> RunbookFixture.run(management, instance, "issueEmergencyCertificate"))
                .hasMessageContaining("no break-glass record");
        verify(fixture.remediation, never()).beginIssuance(anyString(), anyString(), anyString());
    }

    @Test
    void aFailedStandardReplacementAsksTheIncidentCommandersWithTheEvidenceAndMayBeRetried() {
        when(fixture.remediation.verify("web", STANDARD)).thenReturn(verification(false, STANDARD));
        ProcessInstance instance = approvedUpToTheStandardIssuance();
        runThrough(
                instance,
                "deployStandardCertificate",
                "verifyStandardCertificate",
                "waitBeforeReverifyStandard",
                "verifyStandardCertificate",
                "waitBeforeReverifyStandard",
                "verifyStandardCertificate",
                "rollbackStandardCertificate");

        assertThat(instance).isWaitingAt("handleFailedStandardReplacement", "reviewBreakGlass");
        Task failed = task(instance, "handleFailedStandardReplacement");
        assertThat(failed).hasCandidateGroup("incident-commanders");
        verify(fixture.remediation).rollback(BREAK_GLASS + "-standard-deploy-1");
        assertThat(fixture.incidents.last.get(TimelineTypes.BREAK_GLASS_STANDARD_REPLACEMENT_FAILED))
                .containsEntry("breakGlassId", BREAK_GLASS)
                .containsEntry("emergencySha256", EMERGENCY)
                .containsEntry("verificationSummary", runtime.getVariable(instance.getId(), "verificationSummary"));
        assertThat(records.standard).isNull();

        when(fixture.remediation.verify("web", STANDARD)).thenReturn(verification(true, STANDARD));
        identity.setAuthentication("iris", List.of("incident-commanders"));
        tasks.complete(
                failed.getId(),
                Map.of("standardReplacementDecision", "retry", "standardReplacementNotes", "fixed the reload"));
        identity.clearAuthentication();
        runThrough(
                instance,
                "issueStandardCertificate",
                "deployStandardCertificate",
                "verifyStandardCertificate",
                "recordStandardReplacement");
        assertThat(records.standard).isEqualTo(STANDARD);
        assertThat(instance).isWaitingAt("reviewBreakGlass");
    }

    @Test
    void aCaFailureOnTheStandardReplacementGoesToAPersonNotToASilentEnd() {
        when(fixture.remediation.beginIssuance(eq("web"), anyString(), eq("standard")))
                .thenThrow(new CaUnavailableException("connection refused", null));
        ProcessInstance instance = approvedUpToTheStandardIssuance();
        assertThat(instance).isWaitingAt("handleFailedStandardReplacement", "reviewBreakGlass");
        assertThat(fixture.incidents.last.get(TimelineTypes.BREAK_GLASS_STANDARD_REPLACEMENT_FAILED))
                .extracting(detail -> detail.get("caFailureReason"))
                .asString()
                .contains("connection refused");

        identity.setAuthentication("iris", List.of("incident-commanders"));
        tasks.complete(
                task(instance, "handleFailedStandardReplacement").getId(),
                Map.of("standardReplacementDecision", "handled", "standardReplacementNotes", "renewed through ACME"));
        identity.clearAuthentication();
        assertThat(instance).isWaitingAt("reviewBreakGlass").hasPassed("replacementEnded");
    }

    @Test
    void aSeverityThatNeedsTwoApproversWaitsForASecondDistinctOne() {
        records = new FakeBreakGlassLog(2);
        Mocks.register("recordBreakGlassDecisionListener", new RecordBreakGlassDecisionListener(records));
        ProcessInstance instance = start();
        approve(instance, "alice");
        assertThat(instance).isWaitingAt("approveBreakGlass");
        assertThat(runtime.getVariable(instance.getId(), "approvals")).isEqualTo(1);

        Task second = task(instance, "approveBreakGlass");
        identity.setAuthentication("alice", List.of("approvers"));
        assertThatThrownBy(() -> tasks.complete(second.getId(), decision("approve", "me again")))
                .hasRootCauseInstanceOf(AuthorizationException.class)
                .hasMessageContaining("already approved");
        assertThat(instance).isWaitingAt("approveBreakGlass");

        approve(instance, "adam");
        assertThat(instance).isWaitingAt("issueEmergencyCertificate", "reviewBreakGlass");
        assertThat(records.approvers).containsExactly("alice", "adam");
    }

    @Test
    void aRejectionPutsTheReasonOnTheTimelineAndIssuesNothing() {
        ProcessInstance instance = start();
        identity.setAuthentication("alice", List.of("approvers"));
        tasks.complete(
                task(instance, "approveBreakGlass").getId(), decision("reject", "the ACME renewal is 2 minutes out"));
        RunbookFixture.run(management, instance, "notifyBreakGlassRejected");
        assertThat(instance).isEnded().hasPassed("breakGlassRejected").hasNotPassed("issueEmergencyCertificate");
        assertThat(notified).containsExactly("break-glass-rejected:OWNERS");
        verify(fixture.remediation, never()).beginIssuance(anyString(), anyString(), anyString());
    }

    @Test
    void anOverdueReviewIsEscalatedToTheBoardAndExecutivesAndStaysOpen() {
        ProcessInstance instance = start();
        approve(instance, "alice");
        RunbookFixture.run(management, instance, "reviewOverdue");
        RunbookFixture.run(management, instance, "notifyReviewOverdue");
        assertThat(notified).containsExactly("break-glass-review-overdue:BOARD_AND_EXECUTIVES");
        assertThat(instance).isWaitingAt("issueEmergencyCertificate", "reviewBreakGlass");
    }

    @Test
    void aFailedEmergencyVerificationRollsBackAndStillAwaitsTheReview() {
        when(fixture.remediation.verify("web", EMERGENCY)).thenReturn(verification(false, EMERGENCY));
        ProcessInstance instance = start();
        approve(instance, "alice");
        runThrough(
                instance,
                "issueEmergencyCertificate",
                "deployEmergencyCertificate",
                "verifyEmergencyCertificate",
                "waitBeforeReverifyEmergency",
                "verifyEmergencyCertificate",
                "waitBeforeReverifyEmergency",
                "verifyEmergencyCertificate",
                "rollbackEmergencyCertificate");
        verify(fixture.remediation).rollback(BREAK_GLASS + "-emergency-deploy-1");
        assertThat(records.emergency).isNull();
        assertThat(instance).isWaitingAt("reviewBreakGlass");
        identity.setAuthentication("bea", List.of("pki-board"));
        tasks.complete(
                task(instance, "reviewBreakGlass").getId(),
                Map.of(
                        "whyNormalPathFailed",
                        "n/a",
                        "emergencyProfileHeld",
                        "yes",
                        "operatingChanges",
                        "fix the reload"));
        assertThat(instance).isEnded().hasNotPassed("recordEmergencyReplacement");
    }

    @Test
    void theReviewNeedsEveryAnswer() {
        ProcessInstance instance = start();
        approve(instance, "alice");
        identity.setAuthentication("bea", List.of("pki-board"));
        assertThatThrownBy(() -> tasks.complete(
                        task(instance, "reviewBreakGlass").getId(), Map.of("whyNormalPathFailed", "ACME down")))
                .hasMessageContaining("emergencyProfileHeld");
        assertThat(records.reviewer).isNull();
    }

    /** Approved, the emergency certificate live, and the standard replacement's issuance run. */
    private ProcessInstance approvedUpToTheStandardIssuance() {
        ProcessInstance instance = start();
        approve(instance, "alice");
        runThrough(
                instance,
                "issueEmergencyCertificate",
                "deployEmergencyCertificate",
                "verifyEmergencyCertificate",
                "recordEmergencyReplacement",
                "standardReplacementDue",
                "issueStandardCertificate");
        return instance;
    }

    private void approve(ProcessInstance instance, String approver) {
        identity.setAuthentication(approver, List.of("approvers"));
        tasks.complete(task(instance, "approveBreakGlass").getId(), decision("approve", "outage, ACME down"));
        identity.clearAuthentication();
    }

    private void runThrough(ProcessInstance instance, String... activities) {
        for (String activity : activities) {
            RunbookFixture.run(management, instance, activity);
        }
    }

    private ProcessInstance start() {
        Map<String, Object> variables = new HashMap<>();
        variables.put("breakGlassId", BREAK_GLASS);
        variables.put("incidentId", INCIDENT);
        variables.put("endpoint", "web");
        variables.put("severity", "SEV1");
        variables.put("reason", "ACME CA down, certificate expired");
        variables.put("requester", REQUESTER);
        variables.put("approvalsNeeded", records.needed);
        variables.put("approvals", 0);
        variables.put("replacementPath", "internal-ca");
        variables.put("whatWillBeIssued", "emergency");
        variables.put("issueAttempts", 0);
        variables.put("deployAttempts", 0);
        variables.put("verifyAttempts", 0);
        return runtime.startProcessInstanceByKey("break-glass", INCIDENT, variables);
    }

    private Task task(ProcessInstance instance, String key) {
        return tasks.createTaskQuery()
                .processInstanceId(instance.getId())
                .taskDefinitionKey(key)
                .singleResult();
    }

    private static Map<String, Object> decision(String decision, String comment) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("breakGlassDecision", decision);
        variables.put("decisionComment", comment);
        return variables;
    }

    static IssuedCertificate certificate(String id, String sha256, Duration validity) {
        return new IssuedCertificate(
                id,
                "internal-ca",
                "web",
                "leaf",
                List.of("chain"),
                sha256,
                "01",
                ISSUED_AT,
                ISSUED_AT.plus(validity),
                "key-" + id);
    }

    static Verification verification(boolean passed, String sha256) {
        return new Verification(
                passed,
                sha256,
                passed ? sha256 : "0".repeat(64),
                true,
                true,
                List.of(),
                passed ? List.of() : List.of("the endpoint presents something else"),
                Instant.now());
    }

    /** The break-glass record's rules: four eyes and distinct approvers, as the service applies them. */
    static final class FakeBreakGlassLog implements BreakGlassLog {

        final int needed;
        final Set<String> approvers = new LinkedHashSet<>();
        Instant reviewDue;
        String emergency;
        String standard;
        String reviewer;
        boolean missing;

        FakeBreakGlassLog(int needed) {
            this.needed = needed;
        }

        @Override
        public About about(String processInstanceId) {
            if (missing) {
                throw new io.certloop.system.NotFoundException(
                        "no break-glass record for process instance " + processInstanceId);
            }
            return new About(
                    BREAK_GLASS,
                    INCIDENT,
                    "web",
                    "SEV1",
                    "ACME CA down, certificate expired",
                    REQUESTER,
                    reviewDue,
                    emergency);
        }

        @Override
        public String request(String incidentId, String reason, String requestedBy) {
            throw new UnsupportedOperationException("the break-glass process does not ask for another");
        }

        @Override
        public Decided decide(String processInstanceId, String approver, boolean approve, String comment) {
            if (REQUESTER.equals(approver)) {
                throw new ForbiddenException("four eyes");
            }
            if (approvers.contains(approver)) {
                throw new ForbiddenException(approver + " already approved");
            }
            if (!approve) {
                return new Decided("rejected", approvers.size(), needed, null);
            }
            approvers.add(approver);
            if (approvers.size() < needed) {
                return new Decided("pending", approvers.size(), needed, null);
            }
            reviewDue = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            return new Decided("approved", approvers.size(), needed, reviewDue);
        }

        @Override
        public void emergencyVerified(String processInstanceId, String sha256, Instant notAfter) {
            emergency = sha256;
        }

        @Override
        public void standardVerified(String processInstanceId, String sha256) {
            standard = sha256;
        }

        @Override
        public void reviewed(String processInstanceId, String reviewer, Map<String, Object> review) {
            this.reviewer = reviewer;
        }
    }
}
