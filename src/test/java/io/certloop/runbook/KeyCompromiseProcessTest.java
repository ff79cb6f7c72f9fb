package io.certloop.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.certloop.issuance.RevocationReason;
import io.certloop.remediation.KeyExposure;
import io.certloop.remediation.ReplacementEvidence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/** Every path of {@code key-compromise}, with the real delegates and mocked capabilities. */
@Deployment(resources = {"processes/key-compromise.bpmn", "processes/await-issuer.bpmn"})
class KeyCompromiseProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("camunda-process-test.cfg.xml")
            .build();

    static final String INCIDENT = "INC-2026-000700";

    RunbookFixture fixture;
    ManagementService management;

    @BeforeEach
    void setUp() {
        fixture = new RunbookFixture();
        org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init(engine.getProcessEngine());
        management = engine.getManagementService();
        when(fixture.inventory.get("web"))
                .thenReturn(RunbookFixture.web(io.certloop.inventory.ReplacementPath.INTERNAL_CA, null));
        when(fixture.remediation.keyExposure("web"))
                .thenReturn(new KeyExposure(
                        "key-1",
                        "a".repeat(64),
                        List.of("0a", "0b"),
                        List.of("web", "api"),
                        "key-1: 2 certificates; endpoints [web, api]"));
        when(fixture.remediation.replaceable(anyString())).thenReturn(true);
        when(fixture.remediation.replace(anyString(), anyString()))
                .thenAnswer(call -> evidence(call.getArgument(0), true));
    }

    @Test
    void aConfirmedCompromiseRevokesFirstThenRekeysAndVerifiesEveryEndpointWithNobodyInvolved() {
        ProcessInstance instance = start("confirmed");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "mapKeyExposure",
                "revokeCompromisedCertificates",
                "replaceExposedEndpoint#multiInstanceBody",
                "replaceExposedEndpoint",
                "replaceExposedEndpoint",
                "recordKeyReplaced",
                "notifyResolved");

        assertThat(instance).isWaitingAt("reviewIncident");
        InOrder order = inOrder(fixture.remediation);
        order.verify(fixture.remediation).revokeInternal(List.of("0a", "0b"), RevocationReason.KEY_COMPROMISE);
        order.verify(fixture.remediation).replace(eq("web"), eq(INCIDENT + ":replace:web"));
        order.verify(fixture.remediation).replace(eq("api"), eq(INCIDENT + ":replace:api"));
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
        assertThat(fixture.incidents.types)
                .contains("key-exposure-mapped", "certificates-revoked", "endpoint-replaced");
        assertThat(instance).hasNotPassed("confirmCompromise", "replaceExposedEndpointByHand");
    }

    @Test
    void anIssuerThatDoesNotAnswerIsTriedAgainAfterItsRetryAfterWithoutRekeyingTheEndpointsAlreadyDone() {
        when(fixture.remediation.issuancePath(anyString(), org.mockito.ArgumentMatchers.isNull()))
                .thenReturn("internal-ca");
        when(fixture.remediation.replace("api", INCIDENT + ":replace:api"))
                .thenThrow(new io.certloop.issuance.CaUnavailableException("connection refused", null));
        ProcessInstance instance = start("confirmed");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "mapKeyExposure",
                "revokeCompromisedCertificates",
                "replaceExposedEndpoint#multiInstanceBody",
                "replaceExposedEndpoint",
                "replaceExposedEndpoint");
        assertThat(instance).isWaitingAt("awaitIssuer");
        org.camunda.bpm.engine.runtime.ProcessInstance waiting =
                RunbookFixture.called(engine.getRuntimeService(), instance);
        RunbookFixture.run(management, waiting, "recordIssuerFailure");
        assertThat(waiting).isWaitingAt("waitBeforeIssuanceRetry");
        org.mockito.Mockito.verify(fixture.outages)
                .issuanceFailed(
                        eq(INCIDENT), eq("internal-ca"), anyString(), eq(true), org.mockito.ArgumentMatchers.isNull());
        RunbookFixture.run(management, waiting, "waitBeforeIssuanceRetry");

        runThrough(
                instance,
                "replaceExposedEndpoint#multiInstanceBody",
                "replaceExposedEndpoint",
                "replaceExposedEndpoint",
                "recordKeyReplaced",
                "notifyResolved");
        org.mockito.Mockito.verify(fixture.remediation, org.mockito.Mockito.times(1))
                .replace(eq("web"), anyString());
        org.mockito.Mockito.verify(fixture.remediation).replace("api", INCIDENT + ":replace:api:1");
        assertThat(fixture.incidents.resolved).contains(INCIDENT);
    }

    @Test
    void anEndpointThatCannotBeReplacedAutomaticallyGetsItsOwnTask() {
        when(fixture.remediation.replaceable("api")).thenReturn(false);
        ProcessInstance instance = start("confirmed");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "mapKeyExposure",
                "revokeCompromisedCertificates",
                "replaceExposedEndpoint#multiInstanceBody",
                "replaceExposedEndpoint",
                "replaceExposedEndpoint",
                "replaceExposedEndpointByHand");

        assertThat(instance).isWaitingAt("replaceExposedEndpointByHand");
        assertThat(task()).hasCandidateGroup("operators");
        assertThat(engine.getTaskService().getVariable(task().getId(), "affectedEndpoint"))
                .isEqualTo("api");
        verify(fixture.remediation, never()).replace(eq("api"), anyString());
        complete(task(), Map.of("handlingNotes", "new key generated on the HSM, certificate installed"));
        runThrough(instance, "recordKeyReplaced", "notifyResolved");
        assertThat(instance).isWaitingAt("reviewIncident");
    }

    @Test
    void aFailedReplacementIsLeftToAPersonToo() {
        when(fixture.remediation.replace(eq("web"), anyString())).thenReturn(evidence("web", false));
        ProcessInstance instance = start("preventive-rotation");
        runThrough(
                instance,
                "identifyOwnership",
                "notifyOwners",
                "mapKeyExposure",
                "revokeCompromisedCertificates",
                "replaceExposedEndpoint#multiInstanceBody",
                "replaceExposedEndpoint",
                "replaceExposedEndpoint",
                "replaceExposedEndpointByHand");
        assertThat(instance).isWaitingAt("replaceExposedEndpointByHand");
        assertThat(engine.getTaskService().getVariable(task().getId(), "affectedEndpoint"))
                .isEqualTo("web");
    }

    @Test
    void aSuspectedCompromiseWaitsForACommandersConfirmation() {
        ProcessInstance instance = start("suspected");
        runThrough(instance, "identifyOwnership", "notifyOwners");
        assertThat(instance).isWaitingAt("confirmCompromise");
        assertThat(task()).hasCandidateGroup("incident-commanders");
        verify(fixture.remediation, never()).revokeInternal(anyList(), any());

        complete(task(), Map.of("compromiseConfirmed", "yes", "handlingNotes", "the key was in a public repository"));
        runThrough(instance, "mapKeyExposure", "revokeCompromisedCertificates");
        verify(fixture.remediation).revokeInternal(List.of("0a", "0b"), RevocationReason.KEY_COMPROMISE);
    }

    @Test
    void aSuspicionThatIsNotConfirmedRevokesNothingAndGoesToReview() {
        ProcessInstance instance = start("suspected");
        runThrough(instance, "identifyOwnership", "notifyOwners");
        assertThat(instance).isWaitingAt("confirmCompromise");
        complete(task(), Map.of("compromiseConfirmed", "no", "handlingNotes", "the file held a test key"));
        runThrough(instance, "recordHandling", "notifyResolved");
        assertThat(instance).isWaitingAt("reviewIncident");
        verify(fixture.remediation, never()).revokeInternal(anyList(), any());
        verify(fixture.remediation, never()).replace(anyString(), anyString());
    }

    @Test
    void aRevocationStillNotDoneAfterTwentyOfTheTwentyFourHoursPagesTheCommanders() {
        Instant started = Instant.now();
        ProcessInstance instance = start("suspected");
        runThrough(instance, "identifyOwnership", "notifyOwners");
        Job deadline = management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .timers()
                .activityId("revocationDeadlineNear")
                .singleResult();
        assertThat(Duration.between(started, deadline.getDuedate().toInstant()))
                .isBetween(Duration.ofHours(19), Duration.ofHours(21));
        management.executeJob(deadline.getId());
        runThrough(instance, "escalateRevocationDeadline");
        assertThat(fixture.notifications).contains("page:escalated");
        assertThat(fixture.incidents.types).contains("revocation-deadline-near");
        assertThat(instance).isWaitingAt("confirmCompromise");
    }

    @Test
    void onceRevokedTheDeadlineTimerStaysQuiet() {
        ProcessInstance instance = start("confirmed");
        runThrough(instance, "identifyOwnership", "notifyOwners", "mapKeyExposure", "revokeCompromisedCertificates");
        Job deadline = management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .timers()
                .activityId("revocationDeadlineNear")
                .singleResult();
        management.executeJob(deadline.getId());
        runThrough(instance, "escalateRevocationDeadline");
        assertThat(fixture.notifications).doesNotContain("page:escalated");
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

    private ProcessInstance start(String subcategory) {
        return engine.getRuntimeService()
                .startProcessInstanceByKey(
                        "key-compromise",
                        INCIDENT,
                        Map.of(
                                "incidentId",
                                INCIDENT,
                                "endpoint",
                                "web",
                                "category",
                                "key-compromise",
                                "subcategory",
                                subcategory,
                                "severity",
                                "SEV1",
                                "responseSla",
                                "PT15M",
                                "updateCadence",
                                "PT30M",
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
