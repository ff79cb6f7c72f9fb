package io.certloop.runbook;

import io.certloop.incident.TimelineTypes;
import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.IncidentOpened;
import io.certloop.incident.IncidentService;
import io.certloop.incident.Taxonomy;
import io.certloop.intake.UnknownTargetAlerted;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts the runbook for each opened incident, in the transaction that opened it: the incident and
 * its process exist together or not at all. The business key is the incident id. Categories
 * without an automated runbook stay open for people.
 */
@Component
class RunbookLauncher {

    private static final Logger log = LoggerFactory.getLogger(RunbookLauncher.class);

    static final Map<String, String> RUNBOOKS = Map.of(
            Taxonomy.EXPIRY, "expiry-incident",
            Taxonomy.RENEWED_NOT_DEPLOYED, "renewed-not-deployed");

    private final RuntimeService runtime;
    private final IdentityService identity;
    private final IncidentService incidents;
    private final Clock clock;

    RunbookLauncher(RuntimeService runtime, IdentityService identity, IncidentService incidents, Clock clock) {
        this.runtime = runtime;
        this.identity = identity;
        this.incidents = incidents;
        this.clock = clock;
    }

    @EventListener
    void incidentOpened(IncidentOpened opened) {
        String processKey = RUNBOOKS.get(opened.category());
        if (processKey == null) {
            incidents.record(opened.incidentId(), TimelineTypes.NO_RUNBOOK, Map.of("category", opened.category(),
                    "detail", "no automated runbook for this category yet; the incident waits for people"));
            return;
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put(INCIDENT_ID, opened.incidentId());
        variables.put(ENDPOINT, opened.endpointName());
        variables.put(CATEGORY, opened.category());
        variables.put(SUBCATEGORY, opened.subcategory());
        variables.put(SEVERITY, opened.severity().level());
        variables.put(RESPONSE_SLA, opened.severity().responseSla().toString());
        variables.put(UPDATE_CADENCE, opened.severity().updateCadence().toString());
        variables.put(PAGE_INCIDENT_COMMANDER, opened.severity().pageIncidentCommander());
        if (opened.severity().notifyExecutivesWithin() != null) {
            variables.put(NOTIFY_EXECUTIVES_WITHIN, opened.severity().notifyExecutivesWithin().toString());
        }
        variables.put(OPENED_AT, clock.instant().toString());
        variables.put(ISSUE_ATTEMPTS, 0);
        variables.put(DEPLOY_ATTEMPTS, 0);
        variables.put(VERIFY_ATTEMPTS, 0);
        ProcessInstance instance = AsCertLoop.call(identity,
                () -> runtime.startProcessInstanceByKey(processKey, opened.incidentId(), variables));
        incidents.attachProcess(opened.incidentId(), instance.getId());
        log.info("Incident {} ({}/{}) on {}: started runbook {} as process instance {}", opened.incidentId(),
                opened.category(), opened.subcategory(), opened.endpointName(), processKey, instance.getId());
    }

    /** An alert for a target outside the inventory: never probed; an operator triages it. */
    @EventListener
    void unknownTarget(UnknownTargetAlerted alert) {
        String businessKey = "TRIAGE-" + alert.target();
        boolean alreadyOpen = runtime.createProcessInstanceQuery().processDefinitionKey("triage-unknown-target")
                .processInstanceBusinessKey(businessKey).active().count() > 0;
        if (alreadyOpen) {
            return;
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("target", alert.target());
        variables.put("alertname", alert.alertname());
        variables.put("alertSummary", alert.alertSummary());
        AsCertLoop.call(identity,
                () -> runtime.startProcessInstanceByKey("triage-unknown-target", businessKey, variables));
    }

}
