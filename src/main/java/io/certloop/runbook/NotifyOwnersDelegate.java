package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.notify.Notification.Kinds;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Tells both owners where the incident stands. The kind comes from the task's input parameter
 * {@code notificationKind} (opened, escalated, status-update, resolved, resolved-by-person, issuer-recovered,
 * closed, closed-by-commander).
 */
@Component("notifyOwnersDelegate")
class NotifyOwnersDelegate extends RunbookDelegate {

    private final OwnerNotifications notifications;
    private final IncidentLog incidents;

    NotifyOwnersDelegate(OwnerNotifications notifications, IncidentLog incidents) {
        this.notifications = notifications;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String kind = string(execution, NOTIFICATION_KIND);
        String incidentId = incidentId(execution);
        if ((Kinds.ESCALATED.equals(kind) || Kinds.STATUS_UPDATE.equals(kind)) && !incidents.stillOpen(incidentId)) {
            return; // resolved meanwhile: no escalation, no noise
        }
        String endpoint = endpointOfIncident(execution, incidents);
        String subject = "[" + incidentId + "] "
                + switch (kind) {
                    case Kinds.OPENED -> "Certificate incident opened for " + endpoint;
                    case Kinds.ESCALATED ->
                        "Response SLA passed for " + endpoint + ": escalated to the incident commander";
                    case Kinds.RESOLVED -> "Resolved: " + endpoint + " presents the new certificate";
                    case Kinds.RESOLVED_BY_PERSON ->
                        "Resolved by " + string(execution, RESOLVED_BY) + ": incident on " + endpoint;
                    case Kinds.ISSUER_RECOVERED ->
                        "Resolved: issuer " + string(execution, ISSUER) + " answers again; waiting runbooks resumed";
                    case Kinds.CLOSED -> "Closed: incident on " + endpoint;
                    case Kinds.CLOSED_BY_COMMANDER ->
                        "Closed by " + string(execution, CLOSED_BY) + ": incident on " + endpoint;
                    default -> "Status update for " + endpoint;
                };
        StringBuilder body = new StringBuilder()
                .append("Incident ")
                .append(incidentId)
                .append(" (")
                .append(string(execution, CATEGORY))
                .append('/')
                .append(string(execution, SUBCATEGORY))
                .append(", severity ")
                .append(string(execution, SEVERITY))
                .append(")\n")
                .append("Endpoint: ")
                .append(endpoint)
                .append('\n')
                .append("Live probe: ")
                .append(string(execution, PROBE_SUMMARY))
                .append('\n');
        if (execution.getVariable(ISSUED_SHA256) != null) {
            body.append("Issued certificate: ")
                    .append(string(execution, ISSUED_SHA256))
                    .append('\n');
        }
        if (execution.getVariable(VERIFICATION_SUMMARY) != null) {
            body.append("Verification: ")
                    .append(string(execution, VERIFICATION_SUMMARY))
                    .append('\n');
        }
        if (Kinds.RESOLVED_BY_PERSON.equals(kind) && execution.getVariable(RESOLUTION_REASON) != null) {
            body.append("Resolution: ")
                    .append(string(execution, RESOLUTION_REASON))
                    .append('\n');
        }
        if (Kinds.CLOSED_BY_COMMANDER.equals(kind) && execution.getVariable(CLOSE_REASON) != null) {
            body.append("Reason: ").append(string(execution, CLOSE_REASON)).append('\n');
        }
        notifications.send(incidentId, endpoint, kind, subject, body.toString());
        // the severity policy says who else hears: the commander is paged at once for the worst
        // incidents, and always when the response SLA passes
        boolean pageAtOnce =
                Kinds.OPENED.equals(kind) && Boolean.TRUE.equals(execution.getVariable(PAGE_INCIDENT_COMMANDER));
        if (pageAtOnce || Kinds.ESCALATED.equals(kind)) {
            notifications.pageIncidentCommanders(incidentId, kind, subject, body.toString());
        }
        // executives hear of it at once when the policy sets them a deadline (sooner is within it), and hear
        // again when it is resolved, so the brief is never left hanging
        Object executivesWithin = execution.getVariable(NOTIFY_EXECUTIVES_WITHIN);
        if (executivesWithin != null
                && (Kinds.OPENED.equals(kind)
                        || Kinds.RESOLVED.equals(kind)
                        || Kinds.RESOLVED_BY_PERSON.equals(kind)
                        || Kinds.ISSUER_RECOVERED.equals(kind))) {
            notifications.briefExecutives(
                    incidentId,
                    kind,
                    subject,
                    body.append("Severity policy: executives informed within ")
                            .append(executivesWithin)
                            .append('\n')
                            .toString());
            incidents.record(
                    incidentId,
                    TimelineTypes.EXECUTIVES_BRIEFED,
                    Map.of("kind", kind, "policyWithin", executivesWithin));
        }
    }
}
