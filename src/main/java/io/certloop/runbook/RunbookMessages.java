package io.certloop.runbook;

import io.certloop.incident.IncidentClosedByCommander;
import io.certloop.incident.IncidentResolvedByCommander;
import io.certloop.incident.IncidentService;
import io.certloop.incident.TimelineTypes;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.MessageCorrelationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Ends a runbook cleanly when a person resolves or closes its incident: a BPMN message the runbook
 * catches in an interrupting event subprocess (resolved: review then close; closed: end), never an
 * administrator deleting the instance. Runs in the transaction that recorded the decision.
 */
@Component
class RunbookMessages {

    /** Message names every incident runbook catches (process tests and the model test use them too). */
    static final String INCIDENT_RESOLVED = "incidentResolved";

    static final String INCIDENT_CLOSED = "incidentClosed";

    /** A break-glass an incident's runbook asked for ended its emergency part (rejected, verified or rolled back). */
    static final String BREAK_GLASS_ENDED = "breakGlassEnded";

    /** The PKI board reviewed a break-glass: a runbook waiting to close checks its close guards again. */
    static final String BREAK_GLASS_REVIEWED = "breakGlassReviewed";

    private static final Logger log = LoggerFactory.getLogger(RunbookMessages.class);

    private final RuntimeService runtime;
    private final IdentityService identity;
    private final IncidentService incidents;

    RunbookMessages(RuntimeService runtime, IdentityService identity, IncidentService incidents) {
        this.runtime = runtime;
        this.identity = identity;
        this.incidents = incidents;
    }

    @EventListener
    void resolved(IncidentResolvedByCommander event) {
        int count = correlate(
                INCIDENT_RESOLVED,
                event.incidentId(),
                Map.of(
                        RunbookVariables.RESOLVED_BY,
                        event.actor(),
                        RunbookVariables.RESOLUTION_REASON,
                        event.reason()));
        incidents.record(
                event.incidentId(),
                TimelineTypes.RUNBOOK_NOTIFIED,
                event.actor(),
                Map.of("message", INCIDENT_RESOLVED, "processInstances", count));
    }

    @EventListener
    void closed(IncidentClosedByCommander event) {
        int count = correlate(
                INCIDENT_CLOSED,
                event.incidentId(),
                Map.of(RunbookVariables.CLOSED_BY, event.actor(), RunbookVariables.CLOSE_REASON, event.reason()));
        incidents.record(
                event.incidentId(),
                TimelineTypes.RUNBOOK_NOTIFIED,
                event.actor(),
                Map.of("message", INCIDENT_CLOSED, "processInstances", count));
    }

    /**
     * Tells the incident's runbooks waiting for this message, from inside another process's step or listener, as
     * CertLoop (the person completing the step's task need not be allowed to move the other instance). No
     * runbook waiting is fine: the message is for whoever waits for it now.
     */
    static int tell(ProcessEngineServices engine, String message, String incidentId) {
        int count = AsCertLoop.call(
                        engine.getIdentityService(),
                        () -> engine.getRuntimeService()
                                .createMessageCorrelation(message)
                                .processInstanceBusinessKey(incidentId)
                                .correlateAllWithResult())
                .size();
        log.info("Incident {}: message {} reached {} runbook instance(s)", incidentId, message, count);
        return count;
    }

    private int correlate(String message, String incidentId, Map<String, Object> variables) {
        var results = AsCertLoop.call(
                identity,
                () -> runtime.createMessageCorrelation(message)
                        .processInstanceBusinessKey(incidentId)
                        .setVariables(variables)
                        .correlateAllWithResult());
        log.info(
                "Incident {}: message {} reached {} runbook instance(s) {}",
                incidentId,
                message,
                results.size(),
                results.stream()
                        .map(MessageCorrelationResult::getProcessInstance)
                        .map(p -> p == null ? "?" : p.getId())
                        .toList());
        return results.size();
    }
}
