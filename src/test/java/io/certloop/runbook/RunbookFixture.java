package io.certloop.runbook;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.certloop.inventory.Endpoint;
import io.certloop.inventory.Environment;
import io.certloop.inventory.FileDeployment;
import io.certloop.inventory.InventoryService;
import io.certloop.inventory.Owner;
import io.certloop.inventory.ReplacementPath;
import io.certloop.outage.CaOutageService;
import io.certloop.remediation.RemediationService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.mock.Mocks;

/**
 * The real delegates, wired to a mocked remediation service and inventory and to in-memory
 * incident log and notifications, registered under their bean names for the engine.
 */
final class RunbookFixture {

    static final io.certloop.deployment.AgentProperties AGENTS = new io.certloop.deployment.AgentProperties(
            java.time.Duration.ofMinutes(5),
            null,
            null,
            null,
            null,
            java.time.Duration.ofSeconds(30),
            java.time.Duration.ofMinutes(2),
            java.nio.file.Path.of("agent-keys"));

    final RemediationService remediation = mock(RemediationService.class);
    final InventoryService inventory = mock(InventoryService.class);
    /** Issuer failures and outages; by default every failure is below the threshold (retry after a second). */
    final CaOutageService outages = mock(CaOutageService.class);

    final RecordingIncidentLog incidents = new RecordingIncidentLog();
    final List<String> notifications = new ArrayList<>();
    /** Bodies of the replacement plans sent to owners and partner contacts. */
    final List<String> plans = new ArrayList<>();
    /** Who asked for what a four-eyes task decides, by process instance (the records' answer). */
    final Map<String, String> requesterByProcess = new ConcurrentHashMap<>();

    private java.util.Optional<String> requester(String processInstanceId) {
        return java.util.Optional.ofNullable(requesterByProcess.get(processInstanceId));
    }

    final RunbookRecords records;

    /** Break-glass requests the incident runbooks made (incident, reason, requester), when no record is given. */
    final List<String> breakGlassRequests;

    RunbookFixture() {
        this(new NoBreakGlass());
    }

    /** With the break-glass record a break-glass process test plays. */
    RunbookFixture(BreakGlassLog breakGlass) {
        OwnerNotifications notifier = new OwnerNotifications() {
            @Override
            public void send(String incidentId, String endpoint, String kind, String subject, String body) {
                notifications.add(kind);
            }

            @Override
            public List<String> planRecipients(String endpoint) {
                return List.of("owner@" + endpoint + ".test", "partner@" + endpoint + ".test");
            }

            @Override
            public void sendPlan(String incidentId, List<String> endpoints, String kind, String subject, String body) {
                notifications.add(kind + ":" + String.join(",", endpoints));
                plans.add(body);
            }

            @Override
            public void pageIncidentCommanders(String incidentId, String kind, String subject, String body) {
                notifications.add("page:" + kind);
            }

            @Override
            public void briefExecutives(String incidentId, String kind, String subject, String body) {
                notifications.add("executives:" + kind);
            }
        };
        records = new RunbookRecords(incidents, remediation, breakGlass);
        breakGlassRequests = breakGlass instanceof NoBreakGlass none ? none.requests : new ArrayList<>();
        when(outages.issuanceFailed(anyString(), any(), any(), anyBoolean(), any()))
                .thenAnswer(call ->
                        new CaOutageService.FailureOutcome(call.getArgument(1), 1, null, Duration.ofSeconds(1), false));
        when(outages.healthCheckInterval()).thenReturn(Duration.ofSeconds(30));
        Mocks.reset();
        Mocks.register("confirmCauseDelegate", new ConfirmCauseDelegate(remediation, incidents, records));
        Mocks.register(
                "identifyOwnershipDelegate", new IdentifyOwnershipDelegate(inventory, incidents, remediation, AGENTS));
        Mocks.register("recordOwnerDelegate", new RecordOwnerDelegate(inventory, incidents));
        Mocks.register("notifyOwnersDelegate", new NotifyOwnersDelegate(notifier, incidents));
        Mocks.register(
                "escalateRevocationDeadlineDelegate", new EscalateRevocationDeadlineDelegate(notifier, incidents));
        Mocks.register("beginIssuanceDelegate", new BeginIssuanceDelegate(remediation, incidents, records, outages));
        Mocks.register("pollIssuanceDelegate", new PollIssuanceDelegate(remediation, incidents));
        Mocks.register(
                "acceptAdministratorCertificateDelegate",
                new AcceptAdministratorCertificateDelegate(remediation, incidents));
        Mocks.register("deployCertificateDelegate", new DeployCertificateDelegate(remediation, incidents, records));
        Mocks.register("verifyDeploymentDelegate", new VerifyDeploymentDelegate(remediation, incidents, records));
        Mocks.register("rollbackDeploymentDelegate", new RollbackDeploymentDelegate(remediation, incidents, records));
        Mocks.register("recordResolutionDelegate", new RecordResolutionDelegate(remediation, incidents, records));
        Mocks.register("recordAgentDeploymentDelegate", new RecordAgentDeploymentDelegate(incidents));
        Mocks.register("closeIncidentDelegate", new CloseIncidentDelegate(incidents));
        Mocks.register(
                "checkExpectedCertificateDelegate",
                new CheckExpectedCertificateDelegate(remediation, incidents, records));
        Mocks.register(
                "requireLiveVerificationListener",
                new RequireLiveVerificationListener(remediation, incidents, records));
        Mocks.register("recordHandlingDelegate", new RecordHandlingDelegate(incidents));
        Mocks.register("inspectChainDelegate", new InspectChainDelegate(remediation, incidents));
        RunbookLists lists = new RunbookLists();
        Mocks.register("runbookLists", lists);
        Mocks.register("mapKeyExposureDelegate", new MapKeyExposureDelegate(remediation, incidents));
        Mocks.register(
                "revokeCompromisedCertificatesDelegate",
                new RevokeCompromisedCertificatesDelegate(remediation, lists, incidents));
        Mocks.register(
                "replaceAffectedEndpointDelegate",
                new ReplaceAffectedEndpointDelegate(remediation, lists, incidents, outages));
        Mocks.register("recordKeyReplacedDelegate", new RecordKeyReplacedDelegate(incidents));
        Mocks.register("confirmRevocationDelegate", new ConfirmRevocationDelegate(remediation, incidents));
        Mocks.register(
                "mapVerifierPopulationDelegate", new MapVerifierPopulationDelegate(remediation, incidents, notifier));
        Mocks.register("notifyReplacementPlanDelegate", new NotifyReplacementPlanDelegate(notifier, incidents, lists));
        Mocks.register("inspectMisIssuanceDelegate", new InspectMisIssuanceDelegate(remediation, incidents));
        Mocks.register("revokeMisIssuedDelegate", new RevokeMisIssuedDelegate(remediation, incidents));
        Mocks.register("recordTaskOutcomeListener", new RecordTaskOutcomeListener());
        Mocks.register("requestBreakGlassListener", new RequestBreakGlassListener(breakGlass));
        Mocks.register("checkIncidentOpenDelegate", new CheckIncidentOpenDelegate(incidents));
        Mocks.register("checkCloseGuardsDelegate", new CheckCloseGuardsDelegate(incidents));
        Mocks.register("recordIssuerFailureDelegate", new RecordIssuerFailureDelegate(outages));
        Mocks.register("identifyIssuerDelegate", new IdentifyIssuerDelegate(outages));
        Mocks.register("checkIssuerHealthDelegate", new CheckIssuerHealthDelegate(outages));
        Mocks.register("resumeWaitingRunbooksDelegate", new ResumeWaitingRunbooksDelegate(outages, incidents));
        Mocks.register("useFallbackIssuerDelegate", new UseFallbackIssuerDelegate(outages, incidents));
        Mocks.register("fallbackDecisionListener", new FallbackDecisionListener(outages));
        Mocks.register("fourEyesListener", new FourEyesListener(this::requester));
    }

    /** The process instance this one called (the await-issuer process of a runbook waiting on its issuer). */
    static ProcessInstance called(org.camunda.bpm.engine.RuntimeService runtime, ProcessInstance caller) {
        ProcessInstance called = runtime.createProcessInstanceQuery()
                .superProcessInstanceId(caller.getId())
                .singleResult();
        if (called == null) {
            throw new AssertionError("no process instance called by " + caller.getId());
        }
        return called;
    }

    /** Where the process tests' endpoint gets its files: written on the server, reloaded by the no-op action. */
    static final FileDeployment FILES =
            new FileDeployment("files", null, null, "/etc/ssl/web/fullchain.pem", "/etc/ssl/web/key.pem", "noop");

    /** The endpoint "web" the process tests act on: production, tier 1, owned by web and pki, file deployment. */
    static Endpoint web(ReplacementPath path, String expectedSha256) {
        return web(
                path,
                expectedSha256,
                new Owner("web", "web@example.test"),
                new Owner("pki", "pki@example.test"),
                FILES);
    }

    static Endpoint web(
            ReplacementPath path,
            String expectedSha256,
            Owner serviceOwner,
            Owner certificateOwner,
            FileDeployment deployment) {
        return new Endpoint(
                1L,
                "web",
                "www.example.test",
                443,
                null,
                List.of(),
                List.of("www.example.test"),
                1,
                Environment.PRODUCTION,
                serviceOwner,
                certificateOwner,
                path,
                "standard",
                deployment,
                expectedSha256,
                Instant.now(),
                Instant.now(),
                null);
    }

    /** Runs the async continuation or timer waiting at this activity. */
    static void run(ManagementService management, ProcessInstance instance, String activityId) {
        Job job = management
                .createJobQuery()
                .processInstanceId(instance.getId())
                .activityId(activityId)
                .singleResult();
        if (job == null) {
            throw new AssertionError("no job waiting at " + activityId + "; jobs: "
                    + management.createJobQuery().processInstanceId(instance.getId()).list().stream()
                            .map(j -> management
                                            .createJobDefinitionQuery()
                                            .jobDefinitionId(j.getJobDefinitionId())
                                            .singleResult()
                                            .getActivityId()
                                    + (j.getExceptionMessage() == null
                                            ? ""
                                            : " (failed: " + j.getExceptionMessage() + ")"))
                            .toList());
        }
        management.executeJob(job.getId());
    }

    /**
     * The incident runbooks have no break-glass record: a step that asks for one fails, as in production. A
     * request (an incident commander's Tasklist decision) is remembered; a blank reason is refused as the service does.
     */
    static final class NoBreakGlass implements BreakGlassLog {

        final List<String> requests = new ArrayList<>();

        @Override
        public String request(String incidentId, String reason, String requestedBy) {
            if (reason == null || reason.isBlank()) {
                throw new io.certloop.system.InvalidRequestException("reason", "is required");
            }
            requests.add(incidentId + ":" + reason + ":" + requestedBy);
            return "BG-2026-000042";
        }

        @Override
        public About about(String processInstanceId) {
            throw new io.certloop.system.NotFoundException(
                    "no break-glass record for process instance " + processInstanceId);
        }

        @Override
        public Decided decide(String processInstanceId, String approver, boolean approve, String comment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void emergencyVerified(String processInstanceId, String sha256, java.time.Instant notAfter) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void standardVerified(String processInstanceId, String sha256) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reviewed(String processInstanceId, String reviewer, Map<String, Object> review) {
            throw new UnsupportedOperationException();
        }
    }

    /** Timeline and state as the runbook reported them. */
    static final class RecordingIncidentLog implements IncidentLog {

        final List<String> types = new ArrayList<>();
        final Map<String, Map<String, Object>> last = new ConcurrentHashMap<>();
        final Set<String> resolved = ConcurrentHashMap.newKeySet();
        final Set<String> closed = ConcurrentHashMap.newKeySet();
        /** Every incident of these tests is about this inventory endpoint. */
        String endpoint = "web";
        /** What a close guard says (a break-glass awaiting the board's review), or null. */
        volatile String closeBlockedBecause;

        @Override
        public void record(String incidentId, String type, Map<String, Object> detail) {
            types.add(type);
            last.put(type, detail);
        }

        @Override
        public void resolved(String incidentId, String summary) {
            resolved.add(incidentId);
        }

        @Override
        public void closed(String incidentId, Map<String, Object> review) {
            closed.add(incidentId);
            last.put("closed", review);
        }

        @Override
        public String endpointOf(String incidentId) {
            return endpoint;
        }

        @Override
        public java.util.Optional<String> closeBlockedBecause(String incidentId) {
            return java.util.Optional.ofNullable(closeBlockedBecause);
        }

        @Override
        public boolean stillOpen(String incidentId) {
            return !resolved.contains(incidentId) && !closed.contains(incidentId);
        }
    }
}
