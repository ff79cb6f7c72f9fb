package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.notify.Notification.Kinds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Revocation propagation: the plan an incident commander approved (the endpoints, their order, the message) goes to
 * the owners and the partner contacts of every endpoint in it, through the notify outbox, before replacing starts.
 */
@Component("notifyReplacementPlanDelegate")
class NotifyReplacementPlanDelegate extends RunbookDelegate {

    private final OwnerNotifications notifications;
    private final IncidentLog incidents;
    private final RunbookLists lists;

    NotifyReplacementPlanDelegate(OwnerNotifications notifications, IncidentLog incidents, RunbookLists lists) {
        this.notifications = notifications;
        this.incidents = incidents;
        this.lists = lists;
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        List<String> order = lists.split(string(execution, REPLACEMENT_ORDER));
        String message = string(execution, OWNER_MESSAGE);
        String subject = "[" + incidentId + "] Replacement plan approved: " + String.join(", ", order);
        StringBuilder body = new StringBuilder()
                .append(message == null ? "" : message.strip())
                .append("\n\nIncident ")
                .append(incidentId)
                .append(" (")
                .append(string(execution, CATEGORY))
                .append('/')
                .append(string(execution, SUBCATEGORY))
                .append(")\nThe CA's revocation answers:\n")
                .append(string(execution, REVOCATION_EVIDENCE))
                .append("\n\nEndpoints, replaced in this order:\n");
        for (int i = 0; i < order.size(); i++) {
            body.append(i + 1).append(". ").append(order.get(i)).append('\n');
        }
        notifications.sendPlan(incidentId, order, Kinds.REPLACEMENT_PLAN, subject, body.toString());
        List<String> recipients = order.stream()
                .flatMap(endpoint -> notifications.planRecipients(endpoint).stream())
                .distinct()
                .toList();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("order", order);
        detail.put("recipients", recipients);
        detail.put("message", message);
        incidents.record(incidentId, TimelineTypes.REPLACEMENT_PLAN_SENT, detail);
    }
}
