package io.certloop.runbook;

import static io.certloop.runbook.ExpiryIncidentProcessTest.ISSUED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.certloop.deployment.DeploymentResult;
import io.certloop.inventory.ReplacementPath;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.RevocationReason;
import io.certloop.outage.CaOutageService;
import io.certloop.remediation.MisIssuance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/** Every path of {@code mis-issuance}, with the real delegates and mocked capabilities. */
@Deployment(resources = {"processes/mis-issuance.bpmn", "processes/await-issuer.bpmn"})
class MisIssuanceProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = "INC-2026-000900";

    RunbookFixture fixture;
    ManagementService management;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        management = engine.getManagementService();
        when(fixture.inventory.get("web")).thenReturn(RunbookFixture.web(ReplacementPath.INTERNAL_CA, null));
        when(fixture.remediation.misIssuance("web")).thenReturn(misIssuance("0abc"));
        when(fixture.remediation.beginIssuance(eq("web"), anyString())).thenReturn(ExpiryIncidentProcessTest.issued());
        when(fixture.remediation.deploy(eq("web"), anyString(), anyString()))
                .thenAnswer(call ->
                        ExpiryIncidentProcessTest.deployment(call.getArgument(2), DeploymentResult.Outcome.SUCCEEDED));
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(true));
    }

    @Test
    void aCertificateAgainstPolicyIsReissuedVerifiedAndOnlyThenRevokedWhenCertLoopIssuedIt() {
        ProcessInstance instance = start("against-policy");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "inspectMisIssuance",
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "revokeMisIssued",
                "recordResolution",
                "notifyResolved");

        assertThat(instance).isWaitingAt("reviewIncident");
        InOrder order = inOrder(fixture.remediation);
        order.verify(fixture.remediation).beginIssuance("web", INCIDENT + ":issue:0");
        order.verify(fixture.remediation).verify("web", ISSUED);
        order.verify(fixture.remediation).revokeInternal(List.of("0abc"), RevocationReason.SUPERSEDED);
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
    }

    @Test
    void anIssuerThatIsDownLinksTheRunbookToItsOutageWhichWakesItToReissue() {
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:0"))
                .thenThrow(new CaUnavailableException("connection refused", null));
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:1"))
                .thenReturn(ExpiryIncidentProcessTest.issued());
        when(fixture.outages.issuanceFailed(eq(INCIDENT), eq("internal-ca"), anyString(), eq(true), isNull()))
                .thenReturn(new CaOutageService.FailureOutcome(
                        "internal-ca", 3, "INC-2026-000999", Duration.ofSeconds(1), false));
        ProcessInstance instance = start("against-policy");
        runThrough(instance, "identifyOwnership", "notifyOwners", "inspectMisIssuance", "issueCertificate");

        assertThat(instance).isWaitingAt("awaitIssuer");
        RuntimeService runtime = engine.getRuntimeService();
        ProcessInstance waiting = RunbookFixture.called(runtime, instance);
        assertThat(waiting.getBusinessKey()).isEqualTo(INCIDENT);
        RunbookFixture.run(management, waiting, "recordIssuerFailure");
        assertThat(waiting).isWaitingAt("waitForIssuer");
        assertThat(runtime.getVariable(waiting.getId(), "waitingOnIssuer")).isEqualTo("internal-ca");
        assertThat(WaitingRunbooks.wake(runtime, RunbookMessages.ISSUER_RECOVERED, "acme", false))
                .as("another issuer's recovery does not wake it")
                .isEmpty();

        assertThat(WaitingRunbooks.wake(runtime, RunbookMessages.ISSUER_RECOVERED, "internal-ca", false))
                .containsExactly(INCIDENT);
        assertThat(waiting).isEnded();
        runThrough(
                instance,
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "revokeMisIssued",
                "recordResolution",
                "notifyResolved");
        assertThat(instance).hasPassedInOrder("awaitIssuer", "issuerVerdictGateway", "issueCertificate");
        verify(fixture.remediation).beginIssuance("web", INCIDENT + ":issue:1");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
    }

    @Test
    void anIssuerBelowTheOutageThresholdIsTriedAgainAfterTheRetryAfterAndARefusalGoesToAPerson() {
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:0"))
                .thenThrow(new CaUnavailableException("connection refused", null));
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:1"))
                .thenThrow(new io.certloop.issuance.IssuanceRejectedException("name outside the profile"));
        ProcessInstance instance = start("against-policy");
        runThrough(instance, "identifyOwnership", "notifyOwners", "inspectMisIssuance", "issueCertificate");
        RuntimeService runtime = engine.getRuntimeService();
        ProcessInstance first = RunbookFixture.called(runtime, instance);
        RunbookFixture.run(management, first, "recordIssuerFailure");
        assertThat(first).isWaitingAt("waitBeforeIssuanceRetry");
        RunbookFixture.run(management, first, "waitBeforeIssuanceRetry");
        assertThat(first).isEnded();

        runThrough(instance, "issueCertificate");
        ProcessInstance second = RunbookFixture.called(runtime, instance);
        RunbookFixture.run(management, second, "recordIssuerFailure");
        assertThat(second).isEnded();
        assertThat(instance).isWaitingAt("handleMisIssuance");
    }

    @Test
    void anotherCasCertificateIsReplacedButLeftToThatCaToRevoke() {
        when(fixture.remediation.misIssuance("web")).thenReturn(misIssuance(null));
        ProcessInstance instance = start("against-policy");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "inspectMisIssuance",
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "revokeMisIssued",
                "recordResolution",
                "notifyResolved");
        verify(fixture.remediation, never()).revokeInternal(anyList(), any());
        assertThat(fixture.incidents.types).contains("mis-issued-not-revoked");
    }

    @Test
    void aReplacementThatIsNotVerifiedRevokesNothingAndGoesToAPerson() {
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(false));
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
        ProcessInstance instance = start("against-policy");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "inspectMisIssuance",
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "rollbackDeployment");
        assertThat(instance).isWaitingAt("handleMisIssuance");
        verify(fixture.remediation, never()).revokeInternal(anyList(), any());
    }

    @Test
    void aCaErrorGoesToTheCommandersWithTheEvidence() {
        ProcessInstance instance = start("ca-error");
        runThrough(instance, "identifyOwnership", "notifyOwners", "inspectMisIssuance");
        assertThat(instance).isWaitingAt("handleMisIssuance");
        assertThat(task()).hasCandidateGroup("incident-commanders");
        assertThat(engine.getRuntimeService().getVariable(instance.getId(), "probeSummary"))
                .asString()
                .contains("NOT_YET_VALID");
        verify(fixture.remediation, never()).beginIssuance(anyString(), anyString());
        complete(task(), Map.of("handlingNotes", "the CA's clock was an hour ahead; it reissued"));
        runThrough(instance, "recordHandling", "notifyHandled");
        assertThat(instance).isWaitingAt("reviewIncident");
    }

    private static MisIssuance misIssuance(String internalSerial) {
        return new MisIssuance(
                true,
                "f".repeat(64),
                "CN=Some CA",
                internalSerial,
                List.of("NAME_MISMATCH", "NOT_YET_VALID"),
                "presents " + "f".repeat(64) + "; findings [NAME_MISMATCH, NOT_YET_VALID]");
    }

    private ProcessInstance start(String subcategory) {
        return engine.getRuntimeService()
                .startProcessInstanceByKey(
                        "mis-issuance",
                        INCIDENT,
                        Map.of(
                                "incidentId",
                                INCIDENT,
                                "endpoint",
                                "web",
                                "category",
                                "mis-issuance",
                                "subcategory",
                                subcategory,
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
