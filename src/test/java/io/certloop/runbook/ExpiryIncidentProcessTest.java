package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.certloop.deployment.DeploymentResult;
import io.certloop.deployment.ReloadResult;
import io.certloop.incident.TimelineTypes;
import io.certloop.inventory.Owner;
import io.certloop.inventory.ReplacementPath;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.CertificateRefusedException;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.issuance.IssuanceStep;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.outage.CaOutageService;
import io.certloop.remediation.Confirmation;
import io.certloop.remediation.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/** Every path of {@code expiry-incident}, with the real delegates and mocked capabilities. */
@Deployment(resources = "processes/expiry-incident.bpmn")
class ExpiryIncidentProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = "INC-2026-000042";
    static final String ISSUED = "a".repeat(64);
    static final String OLD = "b".repeat(64);
    static final String OUTAGE = "INC-2026-000099";

    RunbookFixture fixture;
    RuntimeService runtime;
    ManagementService management;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        // other engines (Spring test contexts) live in this JVM too
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        runtime = engine.getRuntimeService();
        management = engine.getManagementService();
        when(fixture.remediation.confirm("web"))
                .thenReturn(new Confirmation(
                        true,
                        true,
                        false,
                        false,
                        OLD,
                        Instant.now().minusSeconds(60),
                        List.of("EXPIRED"),
                        "presents " + OLD + ", expired"));
        endpoint(
                ReplacementPath.INTERNAL_CA,
                new Owner("web", "web@example.test"),
                new Owner("pki", "pki@example.test"));
        when(fixture.remediation.issuancePath("web", null)).thenReturn("internal-ca");
        when(fixture.remediation.beginIssuance(eq("web"), anyString())).thenReturn(issued());
        // the issuance record: what the CA issued under this incident's idempotency keys
        when(fixture.remediation.issuedUnder("web", INCIDENT + ":issue:")).thenReturn(Optional.of(certificate()));
        when(fixture.remediation.deploy(eq("web"), eq("cert-1"), anyString()))
                .thenAnswer(call -> deployment(call.getArgument(2), DeploymentResult.Outcome.SUCCEEDED));
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(verification(true));
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

    @Test
    void theHappyPathReissuesDeploysVerifiesAndWaitsForTheReview() {
        ProcessInstance instance = resolvedByTheRunbook();

        assertThat(instance).isWaitingAt("reviewIncident");
        assertThat(task()).hasCandidateGroup("incident-commanders");
        verify(fixture.remediation).beginIssuance("web", INCIDENT + ":issue:0");
        verify(fixture.remediation).deploy("web", "cert-1", INCIDENT + "-deploy-1");
        verify(fixture.remediation).expect("web", ISSUED);
        verify(fixture.remediation).release(INCIDENT + "-deploy-1");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        assertThat(fixture.notifications).containsExactly("opened", "resolved");
        assertThat(runtime.getVariable(instance.getId(), "timeSpent"))
                .asString()
                .as("the review form is prefilled with where the time went")
                .contains("issuance ", "deployment ", "verification ", "alert to verified ");

        complete(
                task(),
                Map.of(
                        "rootCause",
                        "renewal-failed-silently",
                        "detectionGap",
                        "no monitor",
                        "timeSpent",
                        "issuance 1s",
                        "operatingModelChange",
                        "monitor all endpoints"));
        RunbookFixture.run(management, instance, "checkCloseGuards");
        RunbookFixture.run(management, instance, "closeIncident");
        RunbookFixture.run(management, instance, "notifyClosed");
        assertThat(fixture.notifications).containsExactly("opened", "resolved", "closed");
        assertThat(instance)
                .isEnded()
                .hasPassedInOrder(
                        "confirmCause",
                        "identifyOwnership",
                        "notifyOwners",
                        "issueCertificate",
                        "deployCertificate",
                        "verifyDeployment",
                        "recordResolution",
                        "reviewIncident",
                        "checkCloseGuards",
                        "closeIncident",
                        "incidentClosed");
        assertThat(fixture.incidents.closed).contains(INCIDENT);
        assertThat(fixture.incidents.last.get("closed")).containsEntry("rootCause", "renewal-failed-silently");
    }

    @Test
    void anUnreviewedBreakGlassMakesTheRunbookWaitToCloseInsteadOfFailingUntilTheBoardReviews() {
        ProcessInstance instance = resolvedByTheRunbook();
        reviewWhileABreakGlassReviewIsPending(instance);
        RunbookFixture.run(management, instance, "checkCloseGuards");

        assertThat(instance).isWaitingAt("awaitBreakGlassReview");
        assertThat(fixture.incidents.closed).isEmpty();
        assertThat(management
                        .createJobQuery()
                        .processInstanceId(instance.getId())
                        .withException()
                        .count())
                .as("no failed job: nothing red in Cockpit")
                .isZero();
        assertThat(fixture.incidents.last.get(TimelineTypes.CLOSE_WAITING))
                .containsEntry("reason", fixture.incidents.closeBlockedBecause);

        // the hourly re-check finds it still blocked and waits again, without a second timeline entry
        RunbookFixture.run(management, instance, "recheckCloseGuards");
        RunbookFixture.run(management, instance, "checkCloseGuards");
        assertThat(instance).isWaitingAt("awaitBreakGlassReview");
        assertThat(fixture.incidents.types).containsOnlyOnce(TimelineTypes.CLOSE_WAITING);

        // the board reviews: the break-glass process tells the runbook, which closes
        boardReviewed();
        runThrough(instance, "checkCloseGuards", "closeIncident", "notifyClosed");
        assertThat(instance).isEnded().hasPassed("breakGlassReviewed", "incidentClosed");
        assertThat(fixture.incidents.closed).contains(INCIDENT);
    }

    @Test
    void afterACommandersResolutionTheRunbookAlsoWaitsForTheBoardsReviewBeforeClosing() {
        ProcessInstance instance = start();
        runtime.createMessageCorrelation(RunbookMessages.INCIDENT_RESOLVED)
                .processInstanceBusinessKey(INCIDENT)
                .setVariable("resolvedBy", "iris")
                .setVariable("resolutionReason", "the break-glass certificate is live")
                .correlate();
        RunbookFixture.run(management, instance, "notifyResolvedByCommander");
        reviewWhileABreakGlassReviewIsPending(instance);
        RunbookFixture.run(management, instance, "checkCloseGuardsAfterReview");
        assertThat(instance).isWaitingAt("awaitBreakGlassReviewAfterReview");
        assertThat(fixture.incidents.closed).isEmpty();

        boardReviewed();
        runThrough(instance, "checkCloseGuardsAfterReview", "closeReviewedIncident", "notifyClosedAfterReview");
        assertThat(instance).isEnded().hasPassed("reviewedAfterCommanderResolution");
        assertThat(fixture.incidents.closed).contains(INCIDENT);
    }

    @Test
    void theIncidentCommanderMayBreakTheGlassFromTheCaFailureTaskAndTheRunbookResumesAtTheReview() {
        when(fixture.remediation.beginIssuance(eq("web"), anyString()))
                .thenThrow(new IssuanceRejectedException("the CA refuses: account suspended"));
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "recordIssuerFailure");
        assertThat(instance).isWaitingAt("handleCaFailure");

        IdentityService identity = engine.getIdentityService();
        identity.setAuthentication("iris", List.of("incident-commanders"));
        try {
            Task decision = task();
            assertThatThrownBy(() -> complete(decision, Map.of("caDecision", "break-glass")))
                    .hasMessageContaining("breakGlassReason");
            assertThat(instance).isWaitingAt("handleCaFailure");
            assertThat(fixture.breakGlassRequests).isEmpty();

            complete(task(), Map.of("caDecision", "break-glass", "breakGlassReason", "the CA is down for hours"));
        } finally {
            identity.clearAuthentication();
        }
        assertThat(fixture.breakGlassRequests)
                .as("asked as the person who completed the task, so four eyes applies to them")
                .containsExactly(INCIDENT + ":the CA is down for hours:iris");
        assertThat(instance).isWaitingAt("awaitBreakGlass");

        // the emergency certificate is verified live: the break-glass resolved the incident and tells the runbook
        fixture.incidents.resolved.add(INCIDENT);
        runtime.createMessageCorrelation(RunbookMessages.BREAK_GLASS_ENDED)
                .processInstanceBusinessKey(INCIDENT)
                .correlateAll();
        runThrough(instance, "checkBreakGlassOutcome", "notifyResolved");
        assertThat(instance).isWaitingAt("reviewIncident").hasNotPassed("replaceManually", "recordResolution");
    }

    @Test
    void aBreakGlassThatEndsWithoutResolvingReturnsToTheEscalationItWasAskedFrom() {
        ProcessInstance instance = aFailedReloadRolledBack();
        assertThat(instance).isWaitingAt("escalateFailedReplacement");
        IdentityService identity = engine.getIdentityService();
        identity.setAuthentication("iris", List.of("incident-commanders"));
        try {
            complete(
                    task(),
                    Map.of(
                            "escalationDecision",
                            "break-glass",
                            "breakGlassReason",
                            "reloads fail, the outage cannot wait",
                            "escalationNotes",
                            "asked for break-glass"));
        } finally {
            identity.clearAuthentication();
        }
        assertThat(fixture.breakGlassRequests).hasSize(1);
        assertThat(instance).isWaitingAt("awaitBreakGlass");

        // rejected (or rolled back): the incident is still open, back to the commander's task
        runtime.createMessageCorrelation(RunbookMessages.BREAK_GLASS_ENDED)
                .processInstanceBusinessKey(INCIDENT)
                .correlateAll();
        RunbookFixture.run(management, instance, "checkBreakGlassOutcome");
        assertThat(instance).isWaitingAt("escalateFailedReplacement");
        verify(fixture.remediation, never()).verify(anyString(), anyString());
    }

    @Test
    void anEndpointThatDoesNotPresentAnExpiredCertificateGoesToReviewInsteadOfReissue() {
        when(fixture.remediation.confirm("web"))
                .thenReturn(new Confirmation(
                        false, false, false, false, null, null, List.of("HANDSHAKE_FAILED"), "no TLS handshake"));
        ProcessInstance instance = start();
        RunbookFixture.run(management, instance, "confirmCause");

        assertThat(instance).isWaitingAt("reviewNotCertificateIncident");
        assertThat(task()).hasCandidateGroup("incident-commanders");
        complete(task(), Map.of("notCertificateCause", "service-down-other-cause", "reviewNotes", "the pod crashed"));
        RunbookFixture.run(management, instance, "closeNotCertificateIncident");
        RunbookFixture.run(management, instance, "notifyClosedNotCertificate");
        assertThat(instance).isEnded().hasPassed("closedAsNotCertificate").hasNotPassed("issueCertificate");
        verify(fixture.remediation, never()).beginIssuance(anyString(), anyString());
    }

    @Test
    void aMissingOwnerIsAskedOfTheIncidentCommanderAndRecordedInTheInventory() {
        endpoint(ReplacementPath.INTERNAL_CA, new Owner("web", "web@example.test"), null);
        ProcessInstance instance = start();
        runThrough(instance, "confirmCause", "identifyOwnership");

        assertThat(instance).isWaitingAt("identifyOwner");
        assertThat(task()).hasCandidateGroup("incident-commanders");
        complete(
                task(),
                Map.of(
                        "serviceOwnerTeam",
                        "web",
                        "serviceOwnerEmail",
                        "web@example.test",
                        "certificateOwnerTeam",
                        "pki",
                        "certificateOwnerEmail",
                        "pki@example.test"));
        RunbookFixture.run(management, instance, "recordOwner");
        verify(fixture.inventory)
                .recordOwners("web", new Owner("web", "web@example.test"), new Owner("pki", "pki@example.test"));
        runThrough(instance, "notifyOwners", "issueCertificate", "deployCertificate", "verifyDeployment");
        assertThat(instance).hasPassedInOrder("identifyOwner", "recordOwner", "notifyOwners", "issueCertificate");
    }

    @Test
    void theAdminMediatedPathWaitsForTheApproverAndRefusesAMismatchWithTheReason() {
        endpoint(
                ReplacementPath.ADMIN_MEDIATED,
                new Owner("web", "web@example.test"),
                new Owner("pki", "pki@example.test"));
        when(fixture.remediation.beginIssuance(eq("web"), anyString()))
                .thenReturn(new IssuanceStep.Pending(
                        "req-1",
                        "awaiting-administrator",
                        Instant.now().plusSeconds(3600),
                        "-----BEGIN CERTIFICATE REQUEST-----"));
        when(fixture.remediation.submitAdministratorCertificate("req-1", "wrong"))
                .thenThrow(new CertificateRefusedException(
                        CertificateRefusedException.Reason.KEY_MISMATCH,
                        "the certificate's public key is not the key of the CSR"));
        when(fixture.remediation.submitAdministratorCertificate("req-1", "right"))
                .thenReturn(certificate());
        ProcessInstance instance = start();
        runThrough(instance, "confirmCause", "identifyOwnership", "notifyOwners", "requestAdministratorCertificate");

        assertThat(instance).isWaitingAt("submitAdministratorCertificate");
        assertThat(task()).hasCandidateGroup("approvers");
        assertThat(runtime.getVariable(instance.getId(), "csrPem")).asString().contains("CERTIFICATE REQUEST");
        complete(task(), Map.of("certificatePem", "wrong"));
        RunbookFixture.run(management, instance, "acceptAdministratorCertificate");
        assertThat(instance).isWaitingAt("submitAdministratorCertificate");
        assertThat(runtime.getVariable(instance.getId(), "refusalReason"))
                .asString()
                .contains("public key");

        complete(task(), Map.of("certificatePem", "right"));
        runThrough(
                instance,
                "acceptAdministratorCertificate",
                "deployCertificate",
                "verifyDeployment",
                "recordResolution",
                "notifyResolved");
        assertThat(instance).isWaitingAt("reviewIncident");
    }

    @Test
    void aManualPathAsksAnOperatorAndStillVerifiesTheLiveEndpoint() {
        endpoint(ReplacementPath.MANUAL, new Owner("web", "web@example.test"), new Owner("pki", "pki@example.test"));
        when(fixture.remediation.issuedUnder("web", INCIDENT + ":issue:")).thenReturn(Optional.empty());
        ProcessInstance instance = start();
        runThrough(instance, "confirmCause", "identifyOwnership", "notifyOwners");
        assertThat(instance).isWaitingAt("replaceManually");
        assertThat(task()).hasCandidateGroup("operators");
        complete(task(), Map.of("declaredSha256", ISSUED));
        runThrough(instance, "verifyDeployment", "recordResolution", "notifyResolved");
        assertThat(instance).isWaitingAt("reviewIncident");
        verify(fixture.remediation, never()).deploy(anyString(), anyString(), anyString());
    }

    @Test
    void aFailedVerificationRetriesDeployThenRollsBackAndEscalates() {
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(verification(false));
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment");
        // three probes failed: deploy and reload again
        runThrough(
                instance,
                "deployCertificate",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "rollbackDeployment");

        assertThat(instance).isWaitingAt("escalateFailedReplacement");
        assertThat(task()).hasCandidateGroup("incident-commanders");
        verify(fixture.remediation).deploy("web", "cert-1", INCIDENT + "-deploy-1");
        verify(fixture.remediation).deploy("web", "cert-1", INCIDENT + "-deploy-2");
        // the second attempt redeployed the same certificate (wrote nothing): both are rolled back, newest first,
        // so the files from before the runbook are live again
        InOrder rollbacks = inOrder(fixture.remediation);
        rollbacks.verify(fixture.remediation).rollback(INCIDENT + "-deploy-2");
        rollbacks.verify(fixture.remediation).rollback(INCIDENT + "-deploy-1");
        verify(fixture.remediation, never()).expect(anyString(), anyString());
        assertThat(fixture.incidents.resolved).isEmpty();

        // the commander fixes it by hand; a fresh probe still decides
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(verification(true));
        complete(task(), Map.of("escalationNotes", "fixed the load balancer binding"));
        runThrough(instance, "verifyDeployment", "recordResolution", "notifyResolved");
        assertThat(instance).isWaitingAt("reviewIncident");
    }

    @Test
    void aFailedReloadIsRolledBackAtOnce() {
        ProcessInstance instance = aFailedReloadRolledBack();
        assertThat(instance).isWaitingAt("escalateFailedReplacement");
        verify(fixture.remediation).rollback(INCIDENT + "-deploy-1");
    }

    @Test
    void aRefusalGoesToTheIncidentCommanderWhoMayRetry() {
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:0"))
                .thenThrow(new IssuanceRejectedException("rejectedIdentifier: www.example.test"));
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:1")).thenReturn(issued());
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "recordIssuerFailure");

        assertThat(instance).isWaitingAt("handleCaFailure");
        assertThat(task()).hasCandidateGroup("incident-commanders");
        assertThat(runtime.getVariable(instance.getId(), "caFailureReason"))
                .asString()
                .contains("rejectedIdentifier");
        verify(fixture.outages).issuanceFailed(eq(INCIDENT), eq("internal-ca"), anyString(), eq(false), isNull());
        complete(task(), Map.of("caDecision", "retry"));
        runThrough(instance, "issueCertificate", "deployCertificate", "verifyDeployment");
        assertThat(instance).hasPassedInOrder("handleCaFailure", "issueCertificate", "deployCertificate");
    }

    @Test
    void aRefusalCanBeHandedToAManualReplacement() {
        when(fixture.remediation.beginIssuance(eq("web"), anyString()))
                .thenThrow(new IssuanceRejectedException("policy"));
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "recordIssuerFailure");
        assertThat(instance).isWaitingAt("handleCaFailure");
        complete(task(), Map.of("caDecision", "manual"));
        assertThat(instance).isWaitingAt("replaceManually");
    }

    @Test
    void anIssuerThatDoesNotAnswerBelowTheThresholdIsTriedAgainAfterATimerWithNobodyInvolved() {
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:0"))
                .thenThrow(new CaUnavailableException("connection refused", null));
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:1")).thenReturn(issued());
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "recordIssuerFailure");

        assertThat(instance).isWaitingAt("waitBeforeIssuanceRetry");
        verify(fixture.outages)
                .issuanceFailed(eq(INCIDENT), eq("internal-ca"), contains("connection refused"), eq(true), isNull());
        assertThat(task()).as("nobody is asked while the issuer may come back").isNull();
        runThrough(instance, "waitBeforeIssuanceRetry", "issueCertificate", "deployCertificate", "verifyDeployment");
        assertThat(instance)
                .hasPassedInOrder(
                        "recordIssuerFailure", "waitBeforeIssuanceRetry", "issueCertificate", "deployCertificate");
        verify(fixture.outages).issuanceSucceeded("internal-ca");
    }

    @Test
    void aRunbookWhoseIssuerIsDownWaitsOnTheOutageWithoutPollingAndResumesOnTheMessage() {
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:0"))
                .thenThrow(new CaUnavailableException("connection refused", null));
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:1")).thenReturn(issued());
        when(fixture.outages.issuanceFailed(eq(INCIDENT), eq("internal-ca"), anyString(), eq(true), isNull()))
                .thenReturn(new CaOutageService.FailureOutcome("internal-ca", 3, OUTAGE, Duration.ofSeconds(1), false));
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "recordIssuerFailure");

        assertThat(instance).isWaitingAt("waitForIssuer");
        assertThat(runtime.getVariable(instance.getId(), "waitingOnIssuer")).isEqualTo("internal-ca");
        assertThat(runtime.getVariable(instance.getId(), "caOutageIncident")).isEqualTo(OUTAGE);
        assertThat(management.createJobQuery().processInstanceId(instance.getId()).list().stream()
                        .map(job -> management
                                .createJobDefinitionQuery()
                                .jobDefinitionId(job.getJobDefinitionId())
                                .singleResult()
                                .getActivityId())
                        .toList())
                .as("no polling while it waits: only the SLA and cadence timers")
                .containsExactlyInAnyOrder("responseSlaPassed", "updateDue");
        assertThat(task()).isNull();

        assertThat(runtime.createMessageCorrelation(RunbookMessages.ISSUER_RECOVERED)
                        .processInstanceVariableEquals("waitingOnIssuer", "acme")
                        .correlateAllWithResult())
                .as("another issuer's recovery does not wake it")
                .isEmpty();
        assertThat(runtime.createMessageCorrelation(RunbookMessages.FALLBACK_ISSUER_APPROVED)
                        .processInstanceVariableEquals("waitingOnIssuer", "internal-ca")
                        .processInstanceVariableEquals("fallbackAvailable", true)
                        .correlateAllWithResult())
                .as("no fallback is configured for its profile: an approved fallback does not reroute it")
                .isEmpty();
        assertThat(runtime.createMessageCorrelation(RunbookMessages.ISSUER_RECOVERED)
                        .processInstanceVariableEquals("waitingOnIssuer", "internal-ca")
                        .setVariable("waitingOnIssuer", null)
                        .correlateAllWithResult())
                .hasSize(1);

        runThrough(instance, "issueCertificate", "deployCertificate", "verifyDeployment", "recordResolution");
        assertThat(instance)
                .hasPassedInOrder("waitForIssuer", "issuerRecovered", "issueCertificate", "deployCertificate");
        verify(fixture.remediation).beginIssuance("web", INCIDENT + ":issue:1");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
    }

    @Test
    void anApprovedFallbackReroutesTheWaitingRunbookThroughTheConfiguredIssuer() {
        endpoint(ReplacementPath.ACME, new Owner("web", "web@example.test"), new Owner("pki", "pki@example.test"));
        when(fixture.remediation.issuancePath("web", null)).thenReturn("acme");
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:0"))
                .thenThrow(new CaUnavailableException("connection refused", null));
        when(fixture.outages.issuanceFailed(eq(INCIDENT), eq("acme"), anyString(), eq(true), isNull()))
                .thenReturn(new CaOutageService.FailureOutcome("acme", 3, OUTAGE, Duration.ofSeconds(1), true));
        when(fixture.remediation.beginIssuanceThrough("web", INCIDENT + ":issue:1", "internal-ca"))
                .thenReturn(issued());
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "recordIssuerFailure");
        assertThat(instance).isWaitingAt("waitForIssuer");

        // the approval is on the outage record; the message only wakes the runbook
        when(fixture.outages.approvedFallbackFor(INCIDENT)).thenReturn(Optional.of("internal-ca"));
        assertThat(runtime.createMessageCorrelation(RunbookMessages.FALLBACK_ISSUER_APPROVED)
                        .processInstanceVariableEquals("waitingOnIssuer", "acme")
                        .processInstanceVariableEquals("fallbackAvailable", true)
                        .correlateAllWithResult())
                .hasSize(1);
        runThrough(instance, "issueCertificate", "deployCertificate", "verifyDeployment");

        assertThat(instance).hasPassedInOrder("fallbackIssuerApproved", "issueCertificate", "deployCertificate");
        verify(fixture.remediation).beginIssuanceThrough("web", INCIDENT + ":issue:1", "internal-ca");
        assertThat(runtime.getVariable(instance.getId(), "issuancePath")).isEqualTo("internal-ca");
        verify(fixture.outages).issuanceSucceeded("internal-ca");
    }

    @Test
    void aSlowCaIsPolledAfterATimerInsteadOfBlockingAThread() {
        when(fixture.remediation.beginIssuance(eq("web"), anyString()))
                .thenReturn(new IssuanceStep.Pending(
                        "order-1", "processing", Instant.now().plusSeconds(2), null));
        when(fixture.remediation.pollIssuance("internal-ca", "order-1")).thenReturn(issued());
        ProcessInstance instance = start();
        runThrough(instance, "confirmCause", "identifyOwnership", "notifyOwners", "issueCertificate");
        assertThat(instance).isWaitingAt("waitForCa");
        runThrough(instance, "waitForCa", "pollIssuance", "deployCertificate");
        assertThat(instance).hasPassedInOrder("issueCertificate", "waitForCa", "pollIssuance", "deployCertificate");
    }

    @Test
    void whenTheResponseSlaPassesOwnersAndCommanderAreToldAndStatusUpdatesFollowTheCadence() {
        ProcessInstance instance = start();
        // the response (and its timers) begins once the live probe confirms a certificate cause
        runThrough(instance, "confirmCause");
        var slaTimer = management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .activityId("responseSlaPassed")
                .singleResult();
        assertThat(slaTimer.getDuedate())
                .isCloseTo(java.util.Date.from(Instant.now().plus(Duration.ofMinutes(15))), 60_000);
        RunbookFixture.run(management, instance, "responseSlaPassed");
        RunbookFixture.run(management, instance, "escalateToCommander");
        var updateTimer = management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .activityId("updateDue")
                .singleResult();
        assertThat(updateTimer.getDuedate())
                .isCloseTo(java.util.Date.from(Instant.now().plus(Duration.ofMinutes(30))), 60_000);
        RunbookFixture.run(management, instance, "updateDue");
        RunbookFixture.run(management, instance, "sendStatusUpdate");
        assertThat(fixture.notifications).containsExactly("escalated", "page:escalated", "status-update");
        assertThat(instance).isActive();
    }

    @Test
    void whenThePolicyPagesAtOnceTheIncidentCommanderIsPagedWithTheOpeningNotification() {
        ProcessInstance instance = start(true);
        runThrough(instance, "confirmCause", "identifyOwnership", "notifyOwners");
        assertThat(fixture.notifications).containsExactly("opened", "page:opened");
    }

    @Test
    void whenThePolicySetsExecutivesADeadlineTheyAreBriefedAtOpeningAndAtResolution() {
        ProcessInstance instance = start(false, "PT1H");
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "recordResolution",
                "notifyResolved");
        assertThat(fixture.notifications)
                .containsExactly("opened", "executives:opened", "resolved", "executives:resolved");
        assertThat(fixture.incidents.types).contains("executives-briefed");
    }

    @Test
    void withoutAnExecutiveDeadlineExecutivesAreNotBriefed() {
        ProcessInstance instance = start();
        runThrough(instance, "confirmCause", "identifyOwnership", "notifyOwners");
        assertThat(fixture.notifications).containsExactly("opened");
    }

    private ProcessInstance start() {
        return start(false);
    }

    private ProcessInstance start(boolean pageIncidentCommander) {
        return start(pageIncidentCommander, null);
    }

    private ProcessInstance start(boolean pageIncidentCommander, String notifyExecutivesWithin) {
        Map<String, Object> variables = new HashMap<>();
        if (notifyExecutivesWithin != null) {
            variables.put("notifyExecutivesWithin", notifyExecutivesWithin);
        }
        variables.put("pageIncidentCommander", pageIncidentCommander);
        variables.put("openedAt", Instant.now().toString());
        variables.put("incidentId", INCIDENT);
        variables.put("endpoint", "web");
        variables.put("category", "expiry");
        variables.put("subcategory", "expired-production");
        variables.put("severity", "tier-1");
        variables.put("responseSla", "PT15M");
        variables.put("updateCadence", "PT30M");
        return runtime.startProcessInstanceByKey("expiry-incident", INCIDENT, variables);
    }

    /** The automated path end to end: issued, deployed, verified live, resolved; the review waits. */
    private ProcessInstance resolvedByTheRunbook() {
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "recordResolution",
                "notifyResolved");
        return instance;
    }

    /** The reload fails: rolled back at once, the incident commanders are asked. */
    private ProcessInstance aFailedReloadRolledBack() {
        when(fixture.remediation.deploy(eq("web"), eq("cert-1"), anyString()))
                .thenAnswer(call -> deployment(call.getArgument(2), DeploymentResult.Outcome.RELOAD_FAILED));
        ProcessInstance instance = start();
        runThrough(
                instance,
                "confirmCause",
                "identifyOwnership",
                "notifyOwners",
                "issueCertificate",
                "deployCertificate",
                "rollbackDeployment");
        return instance;
    }

    /** The post-incident review is completed while a break-glass still awaits the PKI board's review. */
    private void reviewWhileABreakGlassReviewIsPending(ProcessInstance instance) {
        fixture.incidents.closeBlockedBecause = "break-glass BG-2026-000001 awaits the PKI board's review";
        complete(
                task(instance),
                Map.of(
                        "rootCause",
                        "ca-outage",
                        "detectionGap",
                        "none",
                        "timeSpent",
                        "n/a",
                        "operatingModelChange",
                        "a second CA"));
    }

    /** The board completes its review: the break-glass process tells the incident's runbook. */
    private void boardReviewed() {
        fixture.incidents.closeBlockedBecause = null;
        runtime.createMessageCorrelation(RunbookMessages.BREAK_GLASS_REVIEWED)
                .processInstanceBusinessKey(INCIDENT)
                .correlateAll();
    }

    private void runThrough(ProcessInstance instance, String... activities) {
        for (String activity : activities) {
            RunbookFixture.run(management, instance, activity);
        }
    }

    private void endpoint(ReplacementPath path, Owner service, Owner certificate) {
        when(fixture.inventory.get("web"))
                .thenReturn(RunbookFixture.web(path, OLD, service, certificate, RunbookFixture.FILES));
    }

    static IssuedCertificate certificate() {
        return new IssuedCertificate(
                "cert-1",
                "internal-ca",
                "web",
                "leaf",
                List.of("chain"),
                ISSUED,
                "01",
                Instant.now(),
                Instant.now().plus(Duration.ofDays(90)),
                "key-1");
    }

    static IssuanceStep issued() {
        return new IssuanceStep.Issued("cert-1", certificate());
    }

    static DeploymentResult deployment(String id, DeploymentResult.Outcome outcome) {
        return new DeploymentResult(
                id,
                DeploymentResult.Operation.DEPLOY,
                outcome,
                List.of(),
                new ReloadResult(
                        "noop",
                        List.of("/bin/true"),
                        outcome == DeploymentResult.Outcome.SUCCEEDED ? 0 : 1,
                        "",
                        false,
                        Instant.now(),
                        Duration.ofMillis(5),
                        false),
                null,
                Instant.now(),
                Instant.now());
    }

    static Verification verification(boolean passed) {
        return new Verification(
                passed,
                ISSUED,
                passed ? ISSUED : OLD,
                true,
                true,
                List.of(),
                passed ? List.of() : List.of("the endpoint presents " + OLD + ", not the issued " + ISSUED),
                Instant.now());
    }
}
