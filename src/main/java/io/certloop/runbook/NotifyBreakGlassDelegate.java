package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Break-glass notifications, by the task's {@code notificationKind}: break-glass-rejected (the requester and
 * the owners), break-glass-review-overdue (the PKI board and the executives).
 */
@Component("notifyBreakGlassDelegate")
class NotifyBreakGlassDelegate extends RunbookDelegate {

    static final String REJECTED = "break-glass-rejected";
    static final String REVIEW_OVERDUE = "break-glass-review-overdue";

    private final GovernanceNotifications notifications;
    private final IncidentLog incidents;
    private final BreakGlassLog breakGlass;

    NotifyBreakGlassDelegate(GovernanceNotifications notifications, IncidentLog incidents, BreakGlassLog breakGlass) {
        this.notifications = notifications;
        this.incidents = incidents;
        this.breakGlass = breakGlass;
    }

    @Override
    void run(DelegateExecution execution) {
        String kind = string(execution, NOTIFICATION_KIND);
        String incidentId = incidentId(execution);
        // who asked, why and where come from the break-glass record, never from variables
        BreakGlassLog.About about = breakGlass.about(execution.getProcessInstanceId());
        String endpoint = endpointOfIncident(execution, incidents);
        String subject = "[" + incidentId + "] "
                + switch (kind) {
                    case REJECTED -> "Break-glass rejected for " + endpoint + ": the incident's runbook continues";
                    case REVIEW_OVERDUE ->
                        "Break-glass review overdue for " + endpoint + " (due " + about.reviewDueAt() + ")";
                    default -> throw new IllegalArgumentException("unknown break-glass notification kind " + kind);
                };
        String body = "Break-glass " + about.id() + " on incident " + incidentId + " ("
                + about.severity() + "), endpoint " + endpoint + "\n"
                + "Requested by " + about.requestedBy() + ": " + about.reason() + "\n"
                + (execution.getVariable(DECISION_COMMENT) == null
                        ? ""
                        : "Last decision: " + string(execution, DECISION_COMMENT) + "\n")
                + (REVIEW_OVERDUE.equals(kind)
                        ? "The PKI board's post-event review is overdue; the incident cannot close"
                                + " before it is done.\n"
                        : "");
        notifications.send(
                incidentId,
                endpoint,
                about.requestedBy(),
                REVIEW_OVERDUE.equals(kind)
                        ? GovernanceNotifications.Audience.BOARD_AND_EXECUTIVES
                        : GovernanceNotifications.Audience.OWNERS,
                kind,
                subject,
                body);
        incidents.record(incidentId, kind, java.util.Map.of("breakGlassId", about.id()));
        if (REJECTED.equals(kind)) {
            // back to the incident's runbook, if it waits for this break-glass
            RunbookMessages.tell(execution.getProcessEngineServices(), RunbookMessages.BREAK_GLASS_ENDED, incidentId);
        }
    }
}
