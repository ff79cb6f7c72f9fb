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

    NotifyBreakGlassDelegate(GovernanceNotifications notifications, IncidentLog incidents) {
        this.notifications = notifications;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String kind = string(execution, NOTIFICATION_KIND);
        String incidentId = incidentId(execution);
        String endpoint = endpoint(execution);
        String subject = "[" + incidentId + "] "
                + switch (kind) {
                    case REJECTED -> "Break-glass rejected for " + endpoint + ": the incident's runbook continues";
                    case REVIEW_OVERDUE ->
                        "Break-glass review overdue for " + endpoint + " (due " + string(execution, REVIEW_DUE) + ")";
                    default -> throw new IllegalArgumentException("unknown break-glass notification kind " + kind);
                };
        String body = "Break-glass " + string(execution, BREAK_GLASS_ID) + " on incident " + incidentId + " ("
                + string(execution, SEVERITY) + "), endpoint " + endpoint + "\n"
                + "Requested by " + string(execution, REQUESTER) + ": " + string(execution, REASON) + "\n"
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
                string(execution, REQUESTER),
                REVIEW_OVERDUE.equals(kind)
                        ? GovernanceNotifications.Audience.BOARD_AND_EXECUTIVES
                        : GovernanceNotifications.Audience.OWNERS,
                kind,
                subject,
                body);
        incidents.record(incidentId, kind, java.util.Map.of("breakGlassId", string(execution, BREAK_GLASS_ID)));
    }
}
