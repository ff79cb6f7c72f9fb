package io.certloop.runbook;

import static io.certloop.runbook.ExpiryIncidentProcessTest.ISSUED;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import io.certloop.remediation.ExpectedCertificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every path of {@code renewed-not-deployed}. */
@Deployment(resources = "processes/renewed-not-deployed.bpmn")
class RenewedNotDeployedProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = "INC-2026-000077";

    RunbookFixture fixture;
    ManagementService management;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        // other engines (Spring test contexts) live in this JVM too
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        management = engine.getManagementService();
        when(fixture.inventory.get("web")).thenReturn(RunbookFixture.web(ReplacementPath.INTERNAL_CA, ISSUED));
        when(fixture.remediation.expectedCertificate("web"))
                .thenReturn(new ExpectedCertificate(true, "cert-1", ISSUED, "valid, key in custody"));
        when(fixture.remediation.deploy(eq("web"), eq("cert-1"), anyString()))
                .thenAnswer(call ->
                        ExpiryIncidentProcessTest.deployment(call.getArgument(2), DeploymentResult.Outcome.SUCCEEDED));
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(true));
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
    void theExpectedCertificateIsRedeployedVerifiedAndTheIncidentClosed() {
        ProcessInstance instance = start();
        runThrough(
                instance,
                "checkExpectedCertificate",
                "identifyOwnership",
                "notifyOwners",
                "deployCertificate",
                "verifyDeployment",
                "recordResolution",
                "notifyResolved",
                "closeIncident",
                "notifyClosed");
        assertThat(instance)
                .isEnded()
                .hasPassedInOrder(
                        "checkExpectedCertificate",
                        "deployCertificate",
                        "verifyDeployment",
                        "recordResolution",
                        "closeIncident");
        verify(fixture.remediation).deploy("web", "cert-1", INCIDENT + "-deploy-1");
        verify(fixture.remediation).expect("web", ISSUED);
    }

    @Test
    void whenTheLoopDoesNotCloseTheServiceOwnerInvestigatesAndOnlyAPassingProbeCompletesTheTask() {
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(false));
        ProcessInstance instance = start();
        runThrough(
                instance,
                "checkExpectedCertificate",
                "identifyOwnership",
                "notifyOwners",
                "deployCertificate",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "waitBeforeReverify",
                "verifyDeployment",
                "rollbackDeployment");

        assertThat(instance).isWaitingAt("investigateDeployment");
        assertThat(task()).hasCandidateGroup("operators");
        var investigation = task();
        assertThatThrownBy(() -> complete(investigation, Map.of("investigationNotes", "reloaded")))
                .isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining("does not present the expected certificate");
        assertThat(instance).isWaitingAt("investigateDeployment");

        when(fixture.remediation.verify("web", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(true));
        complete(task(), Map.of("investigationNotes", "the load balancer pointed at the old files"));
        runThrough(instance, "recordResolution", "notifyResolved", "closeIncident", "notifyClosed");
        assertThat(instance).isEnded();
    }

    @Test
    void anExpectedCertificateThatCannotBeDeployedGoesStraightToInvestigation() {
        when(fixture.remediation.expectedCertificate("web"))
                .thenReturn(new ExpectedCertificate(false, null, ISSUED, "not issued through CertLoop"));
        ProcessInstance instance = start();
        runThrough(instance, "checkExpectedCertificate", "identifyOwnership", "notifyOwners");
        assertThat(instance).isWaitingAt("investigateDeployment");
        verify(fixture.remediation, never()).deploy(anyString(), anyString(), anyString());
    }

    @Test
    void aVariableNamingAnotherEndpointChangesNothingTheIncidentRecordSaysWhichEndpointIsVerified() {
        when(fixture.remediation.expectedCertificate("web"))
                .thenReturn(new ExpectedCertificate(false, null, ISSUED, "not issued through CertLoop"));
        when(fixture.remediation.verify("web", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(false));
        when(fixture.remediation.verify("healthy", ISSUED)).thenReturn(ExpiryIncidentProcessTest.verification(true));
        ProcessInstance instance = start("healthy");
        runThrough(instance, "checkExpectedCertificate", "identifyOwnership", "notifyOwners");
        assertThat(instance).isWaitingAt("investigateDeployment");

        var investigation = task();
        assertThatThrownBy(() -> complete(investigation, Map.of("investigationNotes", "fixed")))
                .isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining("does not present")
                .hasRootCauseInstanceOf(FormFieldValidationException.class);
        assertThat(instance).isWaitingAt("investigateDeployment");
        verify(fixture.remediation, never()).verify(eq("healthy"), anyString());
        verify(fixture.remediation, never()).expect(anyString(), anyString());
    }

    private ProcessInstance start() {
        return start("web");
    }

    /** {@code endpointVariable} is only a variable: the incident log (the record) says "web". */
    private ProcessInstance start(String endpointVariable) {
        return engine.getRuntimeService()
                .startProcessInstanceByKey(
                        "renewed-not-deployed",
                        INCIDENT,
                        Map.of(
                                "incidentId",
                                INCIDENT,
                                "endpoint",
                                endpointVariable,
                                "category",
                                "renewed-not-deployed",
                                "severity",
                                "tier-2",
                                "responseSla",
                                "PT1H",
                                "updateCadence",
                                "PT2H"));
    }

    private void runThrough(ProcessInstance instance, String... activities) {
        for (String activity : activities) {
            RunbookFixture.run(management, instance, activity);
        }
    }
}
