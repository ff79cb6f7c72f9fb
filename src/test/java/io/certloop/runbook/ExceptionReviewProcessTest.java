package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.certloop.governance.ExceptionProperties;
import io.certloop.system.ForbiddenException;
import io.certloop.system.InvalidRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
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
 * Every path of {@code exception-review} with the real listeners and delegates: four eyes against the
 * requester (assignment, completion, no authenticated user), approve, shorten, reject, remind, expire, revoke.
 */
@Deployment(resources = "processes/exception-review.bpmn")
class ExceptionReviewProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String EXCEPTION = "EXC-2026-000007";
    static final String REQUESTER = "olga";
    static final Instant REQUESTED_UNTIL = Instant.now().plus(Duration.ofDays(60));

    RuntimeService runtime;
    TaskService tasks;
    ManagementService management;
    IdentityService identity;
    FakeExceptionLog exceptions;
    List<String> notified;
    List<String> addressed;
    String requesterOnRecord;

    @BeforeEach
    void setUp() {
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        runtime = engine.getRuntimeService();
        tasks = engine.getTaskService();
        management = engine.getManagementService();
        identity = engine.getIdentityService();
        exceptions = new FakeExceptionLog();
        notified = new ArrayList<>();
        addressed = new ArrayList<>();
        requesterOnRecord = REQUESTER;
        Mocks.reset();
        Mocks.register("fourEyesListener", new FourEyesListener(pid -> Optional.ofNullable(requesterOnRecord)));
        Mocks.register(
                "recordExceptionDecisionListener",
                new RecordExceptionDecisionListener(
                        exceptions,
                        new ExceptionProperties(Duration.ofDays(90), Duration.ofDays(14)),
                        Clock.systemUTC()));
        Mocks.register(
                "notifyExceptionDelegate",
                new NotifyExceptionDelegate(
                        (reference, endpoint, requester, audience, kind, subject, body) -> {
                            notified.add(kind + ":" + audience);
                            addressed.add(endpoint + ":" + requester);
                            return List.of(requester + "@example.test");
                        },
                        exceptions));
        Mocks.register("expireExceptionDelegate", new ExpireExceptionDelegate(exceptions));
    }

    @AfterEach
    void tearDown() {
        identity.clearAuthentication();
    }

    @Test
    void theRequesterCanNeitherClaimNorCompleteTheReviewAndTheTaskStaysOpen() {
        ProcessInstance instance = start();
        Task review = task(instance);
        assertThat(review).hasCandidateGroup("pki-board");

        assertThatThrownBy(() -> tasks.claim(review.getId(), REQUESTER))
                .hasRootCauseInstanceOf(AuthorizationException.class)
                .hasMessageContaining("four eyes");
        identity.setAuthentication(REQUESTER, List.of("pki-board", "camunda-admin"));
        assertThatThrownBy(() -> tasks.complete(review.getId(), decision("approve", "fine by me")))
                .hasRootCauseInstanceOf(AuthorizationException.class)
                .hasMessageContaining(REQUESTER + " requested this");
        identity.clearAuthentication();
        assertThatThrownBy(() -> tasks.complete(review.getId(), decision("approve", "nobody")))
                .as("a completion nobody is authenticated for cannot be checked")
                .hasRootCauseInstanceOf(AuthorizationException.class)
                .hasMessageContaining("authenticated user");

        assertThat(instance).isWaitingAt("reviewException");
        assertThat(exceptions.decisions).isEmpty();
    }

    @Test
    void withoutARecordOfTheRequesterNoDecisionIsAccepted() {
        requesterOnRecord = null;
        ProcessInstance instance = start();
        identity.setAuthentication("bob", List.of("pki-board"));
        assertThatThrownBy(() -> tasks.complete(task(instance).getId(), decision("approve", "ok")))
                .hasRootCauseInstanceOf(AuthorizationException.class)
                .hasMessageContaining("no record");
        assertThat(instance).isWaitingAt("reviewException");
    }

    @Test
    void anotherBoardMemberApprovesTheExceptionWaitsRemindsAndExpires() {
        ProcessInstance instance = start();
        Task review = task(instance);
        tasks.claim(review.getId(), "bob");
        identity.setAuthentication("bob", List.of("pki-board"));
        tasks.complete(review.getId(), decision("approve", "chain fix scheduled with the vendor"));

        assertThat(exceptions.decisions).containsExactly("bob:approve:chain fix scheduled with the vendor");
        RunbookFixture.run(management, instance, "notifyExceptionApproved");
        assertThat(instance).isWaitingAt("exceptionActive");
        assertThat((Date) runtime.getVariable(instance.getId(), "expiresAt")).isEqualTo(Date.from(REQUESTED_UNTIL));
        assertThat((Date) runtime.getVariable(instance.getId(), "remindAt"))
                .isEqualTo(Date.from(REQUESTED_UNTIL.minus(Duration.ofDays(14))));

        RunbookFixture.run(management, instance, "reminderDue");
        RunbookFixture.run(management, instance, "sendExpiryReminder");
        assertThat(instance).isWaitingAt("exceptionActiveReminded");
        assertThat(exceptions.reminded).containsExactly(EXCEPTION);

        RunbookFixture.run(management, instance, "remindedExceptionExpiresAt");
        RunbookFixture.run(management, instance, "expireException");
        RunbookFixture.run(management, instance, "notifyExceptionExpired");
        assertThat(instance)
                .isEnded()
                .hasPassedInOrder(
                        "reviewException",
                        "exceptionActive",
                        "sendExpiryReminder",
                        "exceptionActiveReminded",
                        "expireException",
                        "notifyExceptionExpired",
                        "exceptionExpired")
                .hasPassed("notifyExceptionApproved");
        assertThat(exceptions.expired).containsExactly(EXCEPTION);
        assertThat(notified)
                .containsExactly(
                        "exception-approved:OWNERS",
                        "exception-reminder:SERVICE_OWNER",
                        "exception-expired:OWNERS_AND_BOARD");
    }

    @Test
    void theBoardMayShortenTheExceptionButNotExtendIt() {
        ProcessInstance instance = start();
        Task review = task(instance);
        identity.setAuthentication("bob", List.of("pki-board"));
        Map<String, Object> tooLong = decision("approve", "longer please");
        tooLong.put(
                "approvedExpiresAt", REQUESTED_UNTIL.plus(Duration.ofDays(1)).toString());
        assertThatThrownBy(() -> tasks.complete(review.getId(), tooLong))
                .isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining("approvedExpiresAt");
        assertThat(instance).isWaitingAt("reviewException");

        Instant shorter = Instant.now().plus(Duration.ofDays(3));
        Map<String, Object> shortened = decision("approve", "three days, then fix it");
        shortened.put("approvedExpiresAt", shorter.toString());
        tasks.complete(review.getId(), shortened);
        RunbookFixture.run(management, instance, "notifyExceptionApproved");
        assertThat(instance).isWaitingAt("exceptionActive");
        assertThat((Date) runtime.getVariable(instance.getId(), "expiresAt")).isEqualTo(Date.from(shorter));
        Date remindAt = (Date) runtime.getVariable(instance.getId(), "remindAt");
        assertThat(remindAt)
                .as("shorter than the reminder window: remind at once")
                .isBeforeOrEqualTo(new Date());
    }

    @Test
    void aRejectionTellsTheRequesterAndEnds() {
        ProcessInstance instance = start();
        identity.setAuthentication("bob", List.of("pki-board"));
        tasks.complete(task(instance).getId(), decision("reject", "replace the appliance instead"));
        RunbookFixture.run(management, instance, "notifyExceptionRejected");
        assertThat(instance).isEnded().hasPassed("exceptionRejected").hasNotPassed("exceptionActive");
        assertThat(exceptions.decisions).containsExactly("bob:reject:replace the appliance instead");
        assertThat(notified).containsExactly("exception-rejected:REQUESTER");
    }

    @Test
    void notificationsNameTheRecordsEndpointAndRequesterNotTheVariables() {
        ProcessInstance instance = start();
        runtime.setVariable(instance.getId(), "endpoint", "someone-elses-endpoint");
        runtime.setVariable(instance.getId(), "requester", "mallory");
        identity.setAuthentication("bob", List.of("pki-board"));
        tasks.complete(task(instance).getId(), decision("reject", "replace the appliance instead"));
        RunbookFixture.run(management, instance, "notifyExceptionRejected");
        assertThat(addressed).containsExactly("legacy-appliance:" + REQUESTER);
    }

    @Test
    void aDecisionThatIsNeitherApproveNorRejectIsRefused() {
        ProcessInstance instance = start();
        identity.setAuthentication("bob", List.of("pki-board"));
        assertThatThrownBy(() -> tasks.complete(task(instance).getId(), decision("maybe", "hmm")))
                .isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining("exceptionDecision");
        assertThat(instance).isWaitingAt("reviewException");
    }

    @Test
    void aRevocationEndsTheActiveExceptionAndTellsOwnersAndBoard() {
        ProcessInstance instance = approved();
        assertThat(instance).isWaitingAt("exceptionActive");

        runtime.createMessageCorrelation(GovernanceLauncher.EXCEPTION_REVOKED_MESSAGE)
                .processInstanceBusinessKey(EXCEPTION)
                .setVariable("revokedBy", "carol")
                .correlate();
        RunbookFixture.run(management, instance, "notifyExceptionRevoked");
        assertThat(instance).isEnded().hasPassed("exceptionRevokedEnd").hasNotPassed("expireException");
        assertThat(management
                        .createJobQuery()
                        .processInstanceId(instance.getId())
                        .count())
                .as("the reminder and expiry timers are gone")
                .isZero();
        assertThat(notified).containsExactly("exception-approved:OWNERS", "exception-revoked:OWNERS_AND_BOARD");
    }

    @Test
    void aRevocationCommittedWhileTheApprovalIsToldIsReadFromTheRecordNotWaitedFor() {
        ProcessInstance instance = start();
        identity.setAuthentication("bob", List.of("pki-board"));
        tasks.complete(task(instance).getId(), decision("approve", "ok for now"));
        exceptions.state = "revoked";

        RunbookFixture.run(management, instance, "notifyExceptionApproved");
        RunbookFixture.run(management, instance, "notifyExceptionRevoked");
        assertThat(instance)
                .isEnded()
                .hasPassed("exceptionRevokedEnd")
                .hasNotPassed("exceptionActive", "expireException");
        assertThat(notified).containsExactly("exception-approved:OWNERS", "exception-revoked:OWNERS_AND_BOARD");
    }

    @Test
    void afterTheReminderTheExceptionStillWaitsForARevocation() {
        ProcessInstance instance = approved();
        RunbookFixture.run(management, instance, "reminderDue");
        RunbookFixture.run(management, instance, "sendExpiryReminder");
        assertThat(instance).isWaitingAt("exceptionActiveReminded");

        runtime.createMessageCorrelation(GovernanceLauncher.EXCEPTION_REVOKED_MESSAGE)
                .processInstanceBusinessKey(EXCEPTION)
                .correlate();
        RunbookFixture.run(management, instance, "notifyExceptionRevoked");
        assertThat(instance).isEnded().hasPassed("exceptionRevokedEnd").hasNotPassed("expireException");
        assertThat(notified)
                .containsExactly(
                        "exception-approved:OWNERS",
                        "exception-reminder:SERVICE_OWNER",
                        "exception-revoked:OWNERS_AND_BOARD");
    }

    @Test
    void noReminderGoesOutForAnExceptionRevokedJustBeforeIt() {
        ProcessInstance instance = approved();
        RunbookFixture.run(management, instance, "reminderDue");
        exceptions.state = "revoked";

        RunbookFixture.run(management, instance, "sendExpiryReminder");
        RunbookFixture.run(management, instance, "notifyExceptionRevoked");
        assertThat(instance).isEnded().hasPassed("exceptionRevokedEnd").hasNotPassed("exceptionActiveReminded");
        assertThat(exceptions.reminded).isEmpty();
        assertThat(notified).containsExactly("exception-approved:OWNERS", "exception-revoked:OWNERS_AND_BOARD");
    }

    @Test
    void aRevocationThatLostTheRaceWithTheExpiryTimerIsToldAsARevocation() {
        ProcessInstance instance = approved();
        exceptions.state = "revoked";

        RunbookFixture.run(management, instance, "exceptionExpiresAt");
        RunbookFixture.run(management, instance, "expireException");
        RunbookFixture.run(management, instance, "notifyExceptionRevoked");
        assertThat(instance).isEnded().hasPassed("exceptionRevokedEnd").hasNotPassed("notifyExceptionExpired");
        assertThat(exceptions.expired).isEmpty();
        assertThat(notified).containsExactly("exception-approved:OWNERS", "exception-revoked:OWNERS_AND_BOARD");
    }

    /** Requested, approved by another board member, the approval told: the exception is active. */
    private ProcessInstance approved() {
        ProcessInstance instance = start();
        identity.setAuthentication("bob", List.of("pki-board"));
        tasks.complete(task(instance).getId(), decision("approve", "ok for now"));
        RunbookFixture.run(management, instance, "notifyExceptionApproved");
        return instance;
    }

    private ProcessInstance start() {
        Map<String, Object> variables = new HashMap<>();
        variables.put("exceptionId", EXCEPTION);
        variables.put("endpoint", "legacy-appliance");
        variables.put("findingCode", "CHAIN_INCOMPLETE");
        variables.put("reason", "the appliance cannot send an intermediate");
        variables.put("compensatingControls", "clients pin the intermediate");
        variables.put("requester", REQUESTER);
        variables.put("requestedExpiresAt", REQUESTED_UNTIL.toString());
        variables.put("previousDecisions", "none: first request for this finding on this endpoint");
        return runtime.startProcessInstanceByKey("exception-review", EXCEPTION, variables);
    }

    private Task task(ProcessInstance instance) {
        return tasks.createTaskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private static Map<String, Object> decision(String decision, String comment) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("exceptionDecision", decision);
        variables.put("decisionComment", comment);
        return variables;
    }

    /** The exception record as the runbook sees it, with the service's own rules on a decision. */
    static final class FakeExceptionLog implements ExceptionLog {

        final List<String> decisions = new ArrayList<>();
        final List<String> reminded = new ArrayList<>();
        final List<String> expired = new ArrayList<>();
        /** What the record says after the decision; a test sets it to stand for a revocation committed meanwhile. */
        String state = "active";

        @Override
        public Decided decide(
                String exceptionId, String decidedBy, boolean approve, String comment, String approvedExpiresAt) {
            if (REQUESTER.equals(decidedBy)) {
                throw new ForbiddenException("four eyes");
            }
            Instant until = REQUESTED_UNTIL;
            if (approve && approvedExpiresAt != null && !approvedExpiresAt.isBlank()) {
                until = Instant.parse(approvedExpiresAt);
                if (until.isAfter(REQUESTED_UNTIL)) {
                    throw new InvalidRequestException("approvedExpiresAt", "may shorten the exception, not extend it");
                }
            }
            decisions.add(decidedBy + ":" + (approve ? "approve" : "reject") + ":" + comment);
            return new Decided(approve ? "active" : "rejected", until);
        }

        @Override
        public About about(String exceptionId) {
            return new About(
                    "legacy-appliance",
                    "CHAIN_INCOMPLETE",
                    REQUESTER,
                    "the appliance cannot send an intermediate",
                    "clients pin the intermediate");
        }

        @Override
        public String expire(String exceptionId) {
            if (!"active".equals(state)) {
                return state;
            }
            expired.add(exceptionId);
            state = "expired";
            return state;
        }

        @Override
        public String standing(String exceptionId) {
            return state;
        }

        @Override
        public void reminded(String exceptionId, List<String> recipients) {
            reminded.add(exceptionId);
        }
    }
}
