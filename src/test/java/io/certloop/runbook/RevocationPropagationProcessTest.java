package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.certloop.inventory.ReplacementPath;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.outage.CaOutageService;
import io.certloop.probe.revocation.Revocation;
import io.certloop.probe.revocation.RevocationAnswer;
import io.certloop.remediation.ReplacementEvidence;
import io.certloop.remediation.RevocationEvidence;
import io.certloop.remediation.VerifierPopulation;
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

/** Every path of {@code revocation-propagation}, with the real delegates and mocked capabilities. */
@Deployment(resources = {"processes/revocation-propagation.bpmn", "processes/await-issuer.bpmn"})
class RevocationPropagationProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = "INC-2026-000800";

    RunbookFixture fixture;
    ManagementService management;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        management = engine.getManagementService();
        when(fixture.inventory.get("web")).thenReturn(RunbookFixture.web(ReplacementPath.INTERNAL_CA, null));
        when(fixture.remediation.revocationStatus("web"))
                .thenReturn(new RevocationEvidence(
                        true,
                        "e".repeat(64),
                        "k".repeat(64),
                        "REVOKED",
                        "CRL",
                        "http://127.0.0.1:9/crl",
                        Instant.parse("2026-11-29T10:00:00Z"),
                        "CRL: listed on the CRL; OCSP: responder says revoked",
                        List.of(
                                new RevocationAnswer(
                                        "CRL",
                                        Revocation.Status.REVOKED,
                                        "http://127.0.0.1:9/crl",
                                        Instant.parse("2026-11-29T11:00:00Z"),
                                        Instant.parse("2026-11-30T11:00:00Z"),
                                        Instant.parse("2026-11-29T10:00:00Z"),
                                        "keyCompromise",
                                        null,
                                        "listed on the CRL"),
                                new RevocationAnswer(
                                        "OCSP",
                                        Revocation.Status.UNKNOWN,
                                        "http://127.0.0.1:9/ocsp",
                                        null,
                                        null,
                                        null,
                                        null,
                                        Revocation.FETCH_FAILED,
                                        "OCSP http://127.0.0.1:9/ocsp: fetch-failed")),
                        "uncoordinated-replacement"));
        when(fixture.remediation.verifierPopulation("web", "e".repeat(64), "k".repeat(64)))
                .thenReturn(new VerifierPopulation(
                        "e".repeat(64),
                        "k".repeat(64),
                        List.of(
                                new VerifierPopulation.Affected(
                                        "web", "e".repeat(64), "same-certificate", "the incident's endpoint"),
                                new VerifierPopulation.Affected(
                                        "web-standby", "f".repeat(64), "same-key", "latest probe presents the key"))));
        when(fixture.remediation.replaceable(anyString())).thenReturn(true);
        when(fixture.remediation.replace(anyString(), anyString()))
                .thenAnswer(call -> evidence(call.getArgument(0), true));
    }

    @Test
    void theRevocationIsConfirmedTheCommanderApprovesThePlanAndEveryEndpointIsReplacedInItsOrder() {
        ProcessInstance instance = start();
        runThrough(instance, "identifyOwnership", "notifyOwners", "confirmRevocation", "mapVerifierPopulation");

        assertThat(instance).isWaitingAt("approveReplacementPlan");
        assertThat(task()).hasCandidateGroup("incident-commanders");
        assertThat(fixture.incidents.last.get("revocation-confirmed"))
                .containsEntry("status", "REVOKED")
                .containsEntry("source", "CRL")
                .containsEntry("pointsTo", "uncoordinated-replacement");
        Map<String, Object> variables = engine.getRuntimeService().getVariables(instance.getId());
        assertThat(variables)
                .containsEntry("replacementOrder", "web,web-standby")
                .containsEntry("evidencePointsTo", "uncoordinated-replacement");
        assertThat(variables.get("revocationEvidence"))
                .asString()
                .contains(
                        "REVOKED from CRL",
                        "2026-11-29T10:00:00Z",
                        "CRL: REVOKED at http://127.0.0.1:9/crl, thisUpdate 2026-11-29T11:00:00Z",
                        "reason keyCompromise",
                        "OCSP: UNKNOWN at http://127.0.0.1:9/ocsp, no answer: fetch-failed");
        assertThat(fixture.incidents.last.get("revocation-confirmed"))
                .extractingByKey("crl")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("status", "REVOKED")
                .containsEntry("nextUpdate", "2026-11-30T11:00:00Z")
                .containsEntry("revocationReason", "keyCompromise");
        assertThat(fixture.incidents.last.get("revocation-confirmed"))
                .extractingByKey("ocsp")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("status", "UNKNOWN")
                .containsEntry("reason", "fetch-failed");
        assertThat(variables.get("verifierPopulation"))
                .asString()
                .contains("web: same-certificate", "web-standby: same-key");
        assertThat(variables.get("planRecipients"))
                .asString()
                .contains("web-standby: owner@web-standby.test, partner@web-standby.test");
        assertThat(fixture.incidents.last.get("verifier-population-mapped")).containsKey("endpoints");
        verify(fixture.remediation, never()).replace(anyString(), anyString());

        complete(
                task(),
                Map.of(
                        "planApproved",
                        "yes",
                        "replacementOrder",
                        "web-standby,web",
                        "ownerMessage",
                        "Clients may see a revoked certificate until replaced; retry after the change."));
        runThrough(
                instance,
                "notifyReplacementPlan",
                "replaceAffectedEndpoint#multiInstanceBody",
                "replaceAffectedEndpoint",
                "replaceAffectedEndpoint",
                "recordReplacements",
                "notifyResolved");

        InOrder order = inOrder(fixture.remediation);
        order.verify(fixture.remediation).replace(eq("web-standby"), anyString());
        order.verify(fixture.remediation).replace(eq("web"), anyString());
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        assertThat(fixture.notifications).contains("replacement-plan:web-standby,web");
        assertThat(fixture.plans.get(0)).contains("Clients may see a revoked certificate", "1. web-standby", "2. web");
        assertThat(fixture.incidents.last.get("replacement-plan-sent"))
                .containsEntry("order", List.of("web-standby", "web"));
        assertThat(instance).isWaitingAt("reviewIncident");
        assertThat(instance).variables().containsKey("resolvedBy");
    }

    @Test
    void anIssuerThatIsDownMidPlanLinksTheRunbookToItsOutageAndTheRestIsReplacedWhenItAnswers() {
        when(fixture.remediation.issuancePath(anyString(), isNull())).thenReturn("internal-ca");
        when(fixture.remediation.replace("web-standby", INCIDENT + ":replace:web-standby"))
                .thenThrow(new CaUnavailableException("connection refused", null));
        when(fixture.outages.issuanceFailed(eq(INCIDENT), eq("internal-ca"), anyString(), eq(true), isNull()))
                .thenReturn(new CaOutageService.FailureOutcome(
                        "internal-ca", 3, "INC-2026-000899", Duration.ofSeconds(1), false));
        ProcessInstance instance = start();
        runThrough(instance, "identifyOwnership", "notifyOwners", "confirmRevocation", "mapVerifierPopulation");
        assertThat(instance).isWaitingAt("approveReplacementPlan");
        complete(task(), Map.of("planApproved", "yes", "replacementOrder", "web,web-standby", "ownerMessage", "retry"));
        runThrough(
                instance,
                "notifyReplacementPlan",
                "replaceAffectedEndpoint#multiInstanceBody",
                "replaceAffectedEndpoint",
                "replaceAffectedEndpoint");

        assertThat(instance).isWaitingAt("awaitIssuer");
        RuntimeService runtime = engine.getRuntimeService();
        ProcessInstance waiting = RunbookFixture.called(runtime, instance);
        RunbookFixture.run(management, waiting, "recordIssuerFailure");
        assertThat(waiting).isWaitingAt("waitForIssuer");
        assertThat(fixture.incidents.types).contains("ca-failure");
        assertThat(WaitingRunbooks.wake(runtime, RunbookMessages.ISSUER_RECOVERED, "internal-ca", false))
                .containsExactly(INCIDENT);

        runThrough(
                instance,
                "replaceAffectedEndpoint#multiInstanceBody",
                "replaceAffectedEndpoint",
                "replaceAffectedEndpoint",
                "recordReplacements",
                "notifyResolved");
        verify(fixture.remediation, times(1)).replace(eq("web"), anyString());
        verify(fixture.remediation).replace("web-standby", INCIDENT + ":replace:web-standby:1");
        assertThat(runtime.getVariable(instance.getId(), "endpointsReplaced")).isEqualTo("web,web-standby");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        assertThat(instance).isWaitingAt("reviewIncident");
    }

    @Test
    void anEndpointThatCannotBeAutomatedGetsItsOwnTaskAndTheIncidentWaitsForIt() {
        when(fixture.remediation.replaceable("web-standby")).thenReturn(false);
        ProcessInstance instance = start();
        runThrough(instance, "identifyOwnership", "notifyOwners", "confirmRevocation", "mapVerifierPopulation");
        assertThat(instance).isWaitingAt("approveReplacementPlan");
        complete(task(), Map.of("planApproved", "yes", "replacementOrder", "web,web-standby", "ownerMessage", "retry"));
        runThrough(
                instance,
                "notifyReplacementPlan",
                "replaceAffectedEndpoint#multiInstanceBody",
                "replaceAffectedEndpoint",
                "replaceAffectedEndpoint",
                "replaceAffectedEndpointByHand");
        assertThat(instance).isWaitingAt("replaceAffectedEndpointByHand");
        assertThat(fixture.incidents.resolved).doesNotContain(INCIDENT);
        assertThat(engine.getTaskService().getVariable(task().getId(), "affectedEndpoint"))
                .isEqualTo("web-standby");
        complete(task(), Map.of("handlingNotes", "replaced on the appliance"));
        runThrough(instance, "recordReplacements", "notifyResolved");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
    }

    @Test
    void aPlanNotApprovedReplacesNothingAndTheCommanderRecordsHowItWasHandled() {
        ProcessInstance instance = start();
        runThrough(instance, "identifyOwnership", "notifyOwners", "confirmRevocation", "mapVerifierPopulation");
        assertThat(instance).isWaitingAt("approveReplacementPlan");
        complete(
                task(),
                Map.of(
                        "planApproved",
                        "no",
                        "replacementOrder",
                        "web",
                        "ownerMessage",
                        "none",
                        "handlingNotes",
                        "revoked by mistake; the CA reinstated nothing, the owner replaces next window"));
        runThrough(instance, "coordinateByHand", "notifyResolved");
        assertThat(instance).isWaitingAt("reviewIncident");
        verify(fixture.remediation, never()).replace(anyString(), anyString());
    }

    private static ReplacementEvidence evidence(String endpoint, boolean succeeded) {
        return new ReplacementEvidence(
                endpoint,
                succeeded,
                succeeded ? "VERIFIED" : "VERIFICATION_FAILED",
                new ReplacementEvidence.Issued(
                        "crt-" + endpoint, "internal-ca", "d".repeat(64), "0c", "2027-01-01T00:00:00Z", "key-new"),
                null,
                null,
                null,
                Duration.ZERO,
                Duration.ZERO,
                Duration.ZERO);
    }

    private ProcessInstance start() {
        return engine.getRuntimeService()
                .startProcessInstanceByKey(
                        "revocation-propagation",
                        INCIDENT,
                        Map.of(
                                "incidentId",
                                INCIDENT,
                                "endpoint",
                                "web",
                                "category",
                                "revocation-propagation",
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
