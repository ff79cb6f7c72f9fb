package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Twenty of the Baseline Requirements' 24 hours have passed since the key compromise incident opened: unless
 * the certificates are revoked by now (a failing revocation waits in Cockpit, a suspicion waits for its
 * confirmation), the incident commanders are paged while there is still time.
 */
@Component("escalateRevocationDeadlineDelegate")
class EscalateRevocationDeadlineDelegate extends RunbookDelegate {

    private final OwnerNotifications notifications;
    private final IncidentLog incidents;

    EscalateRevocationDeadlineDelegate(OwnerNotifications notifications, IncidentLog incidents) {
        this.notifications = notifications;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        if (execution.getVariable(REVOKED_AT) != null || !incidents.stillOpen(incidentId)) {
            return;
        }
        String subject = "[" + incidentId + "] Key compromise on " + endpointOfIncident(execution, incidents)
                + ": certificates not revoked yet, 4 hours left of the 24 the Baseline Requirements allow";
        String body = "Incident " + incidentId + " (key-compromise/" + string(execution, SUBCATEGORY) + ")\n"
                + "Serials to revoke: " + string(execution, COMPROMISED_SERIALS) + "\n";
        notifications.pageIncidentCommanders(incidentId, "escalated", subject, body);
        notifications.send(incidentId, endpointOfIncident(execution, incidents), "escalated", subject, body);
        incidents.record(incidentId, TimelineTypes.REVOCATION_DEADLINE_NEAR, Map.of("revoked", false));
    }
}
