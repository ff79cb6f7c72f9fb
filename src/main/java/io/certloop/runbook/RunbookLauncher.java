package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.Incident;
import io.certloop.incident.IncidentOpened;
import io.certloop.incident.IncidentService;
import io.certloop.incident.IncidentState;
import io.certloop.incident.Severity;
import io.certloop.incident.Taxonomy;
import io.certloop.incident.TimelineTypes;
import io.certloop.intake.UnknownTargetAlerted;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts the runbook for each opened incident, in the transaction that opened it: the incident and
 * its process exist together or not at all. The business key is the incident id. Every category
 * has a runbook (process key = category); an incident of a category without one is refused rather
 * than left open with nobody told. At start, open incidents without a running runbook (opened
 * before their category had one) get theirs.
 */
@Component
class RunbookLauncher {

    private static final Logger log = LoggerFactory.getLogger(RunbookLauncher.class);

    static final Map<String, String> RUNBOOKS = Map.of(
            Taxonomy.EXPIRY, "expiry-incident",
            Taxonomy.RENEWED_NOT_DEPLOYED, "renewed-not-deployed",
            Taxonomy.REVOCATION_PROPAGATION, "revocation-propagation",
            Taxonomy.KEY_COMPROMISE, "key-compromise",
            Taxonomy.TRUST_MISMATCH, "trust-mismatch",
            Taxonomy.MIS_ISSUANCE, "mis-issuance",
            Taxonomy.CA_OUTAGE, "ca-outage");

    private final RuntimeService runtime;
    private final IdentityService identity;
    private final IncidentService incidents;
    private final TransactionTemplate transaction;
    private final Clock clock;

    RunbookLauncher(
            RuntimeService runtime,
            IdentityService identity,
            IncidentService incidents,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.runtime = runtime;
        this.identity = identity;
        this.incidents = incidents;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @EventListener
    void incidentOpened(IncidentOpened opened) {
        start(opened.incidentId(), opened.endpointName(), opened.category(), opened.subcategory(), opened.severity());
    }

    /**
     * Open incidents whose runbook is not running (opened while their category had none, or its
     * instance was deleted by hand) get one now, so no open incident waits with nobody told.
     */
    @EventListener(ApplicationReadyEvent.class)
    void startMissingRunbooks() {
        for (Incident incident : incidents.list(IncidentState.OPEN, null)) {
            if (running(incident)) {
                continue;
            }
            try {
                transaction.executeWithoutResult(status -> {
                    // the row lock makes a second node starting at the same time wait here, then see the runbook
                    if (incidents.lockIfOpen(incident.id()) && !running(incident)) {
                        incidents.record(
                                incident.id(),
                                TimelineTypes.RUNBOOK_RESTARTED,
                                Map.of(
                                        "previousProcessInstanceId",
                                        String.valueOf(incident.processInstanceId()),
                                        "detail",
                                        "the incident was open without a running runbook"));
                        start(
                                incident.id(),
                                incident.endpoint(),
                                incident.category(),
                                incident.subcategory(),
                                incident.severity());
                    }
                });
            } catch (RuntimeException e) {
                log.error("Incident {} is open without a running runbook and starting one failed", incident.id(), e);
            }
        }
    }

    private boolean running(Incident incident) {
        return AsCertLoop.call(
                identity,
                () -> runtime.createProcessInstanceQuery()
                                .processInstanceBusinessKey(incident.id())
                                .count()
                        > 0);
    }

    private void start(String incidentId, String endpoint, String category, String subcategory, Severity severity) {
        String processKey = RUNBOOKS.get(category);
        if (processKey == null) {
            throw new IllegalStateException("no runbook for category " + category + "; every category needs one");
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put(INCIDENT_ID, incidentId);
        variables.put(ENDPOINT, endpoint);
        variables.put(CATEGORY, category);
        variables.put(SUBCATEGORY, subcategory);
        variables.put(SEVERITY, severity.level());
        variables.put(RESPONSE_SLA, severity.responseSla().toString());
        variables.put(UPDATE_CADENCE, severity.updateCadence().toString());
        variables.put(PAGE_INCIDENT_COMMANDER, severity.pageIncidentCommander());
        if (severity.notifyExecutivesWithin() != null) {
            variables.put(
                    NOTIFY_EXECUTIVES_WITHIN, severity.notifyExecutivesWithin().toString());
        }
        variables.put(OPENED_AT, clock.instant().toString());
        variables.put(ISSUE_ATTEMPTS, 0);
        variables.put(DEPLOY_ATTEMPTS, 0);
        variables.put(VERIFY_ATTEMPTS, 0);
        ProcessInstance instance =
                AsCertLoop.call(identity, () -> runtime.startProcessInstanceByKey(processKey, incidentId, variables));
        incidents.attachProcess(incidentId, instance.getId());
        log.info(
                "Incident {} ({}/{}) on {}: started runbook {} as process instance {}",
                incidentId,
                category,
                subcategory,
                endpoint,
                processKey,
                instance.getId());
    }

    /** An alert for a target outside the inventory: never probed; an operator triages. */
    @EventListener
    void unknownTarget(UnknownTargetAlerted alert) {
        String businessKey = "TRIAGE-" + alert.target();
        boolean alreadyOpen = runtime.createProcessInstanceQuery()
                        .processDefinitionKey("triage-unknown-target")
                        .processInstanceBusinessKey(businessKey)
                        .active()
                        .count()
                > 0;
        if (alreadyOpen) {
            return;
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("target", alert.target());
        variables.put("alertname", alert.alertname());
        variables.put("alertSummary", alert.alertSummary());
        AsCertLoop.call(
                identity, () -> runtime.startProcessInstanceByKey("triage-unknown-target", businessKey, variables));
    }
}
