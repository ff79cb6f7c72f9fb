package io.certloop.runbook;

import static io.certloop.runbook.ExpiryIncidentProcessTest.ISSUED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.certloop.deployment.DeploymentResult;
import io.certloop.inventory.ReplacementPath;
import io.certloop.issuance.IssuanceStep;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.remediation.ChainInspection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every path of {@code trust-mismatch}, with the real delegates and mocked capabilities. */
@Deployment(resources = {"processes/trust-mismatch.bpmn", "processes/await-issuer.bpmn"})
class TrustMismatchProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = "INC-2026-000600";
    static final String PRESENTED = "c".repeat(64);

    RunbookFixture fixture;
    ManagementService management;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        management = engine.getManagementService();
        endpoint(ReplacementPath.INTERNAL_CA);
        when(fixture.remediation.deploy(eq("web"), anyString(), anyString()))
                .thenAnswer(call ->
                        ExpiryIncidentProcessTest.deployment(call.getArgument(2), DeploymentResult.Outcome.SUCCEEDED));
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
    void aMissingIntermediateOfACertificateCertLoopHoldsIsFixedByRedeployingItsFullChain() {
        when(fixture.remediation.inspectChain("web")).thenReturn(inspection("crt-held"));
        when(fixture.remediation.verify("web", PRESENTED)).thenReturn(ExpiryIncidentProcessTest.verification(true));
        ProcessInstance instance = start("intermediate-not-sent");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "inspectChain",
                "deployCertificate",
                "verifyDeployment",
                "recordResolution",
                "notifyResolved");

        assertThat(instance).isWaitingAt("reviewIncident");
        verify(fixture.remediation).deploy("web", "crt-held", INCIDENT + "-deploy-1");
        verify(fixture.remediation, never()).beginIssuance(anyString(), anyString());
        verify(fixture.remediation).expect("web", PRESENTED);
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        assertThat(fixture.incidents.types).contains("chain-inspected", "certificate-deployed", "deployment-verified");
        assertThat(instance).hasNotPassed("investigateTrustMismatch");
    }

    @Test
    void aMissingIntermediateOfACertificateCertLoopDoesNotHoldIsFixedByReissuing() {
        when(fixture.remediation.inspectChain("web")).thenReturn(inspection(null));
        when(fixture.remediation.beginIssuance(eq("web"), anyString())).thenReturn(issued());
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(true));
        ProcessInstance instance = start("intermediate-not-sent");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "inspectChain",
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "recordResolution",
                "notifyResolved");

        assertThat(instance).isWaitingAt("reviewIncident");
        verify(fixture.remediation).deploy("web", "cert-1", INCIDENT + "-deploy-1");
        verify(fixture.remediation).expect("web", ISSUED);
    }

    @Test
    void aReissueWhoseIssuerIsDownWaitsOnTheOutageAndGoesOnWhenItAnswers() {
        when(fixture.remediation.inspectChain("web")).thenReturn(inspection(null));
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:0"))
                .thenThrow(new io.certloop.issuance.CaUnavailableException("connection refused", null));
        when(fixture.remediation.beginIssuance("web", INCIDENT + ":issue:1")).thenReturn(issued());
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(true));
        when(fixture.outages.issuanceFailed(
                        eq(INCIDENT), eq("internal-ca"), anyString(), eq(true), org.mockito.ArgumentMatchers.isNull()))
                .thenReturn(new io.certloop.outage.CaOutageService.FailureOutcome(
                        "internal-ca", 3, "INC-2026-000799", java.time.Duration.ofSeconds(1), false));
        ProcessInstance instance = start("intermediate-not-sent");
        runThrough(instance, "identifyOwnership", "notifyOwners", "inspectChain", "issueCertificate");
        assertThat(instance).isWaitingAt("awaitIssuer");
        var runtime = engine.getRuntimeService();
        ProcessInstance waiting = RunbookFixture.called(runtime, instance);
        RunbookFixture.run(management, waiting, "recordIssuerFailure");
        assertThat(waiting).isWaitingAt("waitForIssuer");
        assertThat(WaitingRunbooks.wake(runtime, RunbookMessages.ISSUER_RECOVERED, "internal-ca", false))
                .containsExactly(INCIDENT);
        runThrough(
                instance,
                "issueCertificate",
                "deployCertificate",
                "verifyDeployment",
                "recordResolution",
                "notifyResolved");
        assertThat(instance).isWaitingAt("reviewIncident");
        verify(fixture.remediation).beginIssuance("web", INCIDENT + ":issue:1");
    }

    @Test
    void aChainThatStaysIncompleteIsRolledBackAndInvestigated() {
        when(fixture.remediation.inspectChain("web")).thenReturn(inspection("crt-held"));
        when(fixture.remediation.verify("web", PRESENTED)).thenReturn(ExpiryIncidentProcessTest.verification(false));
        ProcessInstance instance = start("intermediate-not-sent");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "inspectChain",
                "deployCertificate",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "rollbackDeployment");
        assertThat(instance).isWaitingAt("investigateTrustMismatch");
        assertThat(task()).hasCandidateGroup("operators");
        verify(fixture.remediation).rollback(INCIDENT + "-deploy-1");
    }

    @Test
    void aManualReplacementPathWithoutAHeldChainGoesToInvestigation() {
        endpoint(ReplacementPath.MANUAL);
        when(fixture.remediation.inspectChain("web")).thenReturn(inspection(null));
        ProcessInstance instance = start("intermediate-not-sent");
        runThrough(instance, "identifyOwnership", "notifyOwners", "inspectChain");
        assertThat(instance).isWaitingAt("investigateTrustMismatch");
        verify(fixture.remediation, never()).beginIssuance(anyString(), anyString());
    }

    @Test
    void aMissingRootGetsAnInvestigationCarryingTheChainAsPresentedThenAReview() {
        when(fixture.remediation.inspectChain("web")).thenReturn(inspection("crt-held"));
        ProcessInstance instance = start("root-missing");
        runThrough(instance, "identifyOwnership", "notifyOwners", "inspectChain");

        assertThat(instance).isWaitingAt("investigateTrustMismatch");
        assertThat(task()).hasCandidateGroup("operators");
        assertThat(engine.getRuntimeService().getVariable(instance.getId(), "presentedChain"))
                .asString()
                .contains("CN=web", "CN=Unknown Root");
        verify(fixture.remediation, never()).deploy(anyString(), anyString(), anyString());

        complete(task(), Map.of("handlingNotes", "clients lacked the new root; pushed through MDM"));
        runThrough(instance, "recordHandling", "notifyHandled");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        assertThat(instance).isWaitingAt("reviewIncident");
        complete(
                task(),
                Map.of(
                        "rootCause",
                        "trust store rollout",
                        "detectionGap",
                        "none",
                        "operatingModelChange",
                        "track trust-store rollouts"));
        runThrough(instance, "closeIncident", "notifyClosed");
        assertThat(instance).isEnded();
    }

    @Test
    void clientSpecificDistrustIsHandledByHand() {
        when(fixture.remediation.inspectChain("web")).thenReturn(inspection("crt-held"));
        ProcessInstance instance = start("client-distrust");
        runThrough(instance, "identifyOwnership", "notifyOwners", "inspectChain");
        assertThat(instance).isWaitingAt("investigateTrustMismatch");
    }

    private static ChainInspection inspection(String heldCertificateId) {
        return new ChainInspection(
                true,
                false,
                false,
                PRESENTED,
                List.of("CN=web (issued by CN=Unknown Root, sha256 " + PRESENTED + ")"),
                heldCertificateId,
                heldCertificateId == null ? "not issued through CertLoop" : "held",
                List.of("CHAIN_INCOMPLETE"),
                "presents " + PRESENTED + " without its intermediate");
    }

    private static IssuanceStep issued() {
        return new IssuanceStep.Issued(
                "cert-1",
                new IssuedCertificate(
                        "cert-1",
                        "internal-ca",
                        "web",
                        "leaf-pem",
                        List.of("intermediate-pem"),
                        ISSUED,
                        "0a1b",
                        Instant.now(),
                        Instant.now().plusSeconds(86400),
                        "key-1"));
    }

    private void endpoint(ReplacementPath path) {
        when(fixture.inventory.get("web")).thenReturn(RunbookFixture.web(path, null));
    }

    private ProcessInstance start(String subcategory) {
        return engine.getRuntimeService()
                .startProcessInstanceByKey(
                        "trust-mismatch",
                        INCIDENT,
                        Map.of(
                                "incidentId",
                                INCIDENT,
                                "endpoint",
                                "web",
                                "category",
                                "trust-mismatch",
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
