package io.certloop.runbook;

import java.util.List;

/** Tells the service owner and the certificate owner what is happening. Never fails a runbook. */
interface OwnerNotifications {

    void send(String incidentId, String endpoint, String kind, String subject, String body);

    /** Pages the incident commanders (the members of the incident-commanders group with a mail address). */
    void pageIncidentCommanders(String incidentId, String kind, String subject, String body);

    /** The owners and partner contacts of an endpoint: who hears of a replacement plan for it. */
    default List<String> planRecipients(String endpoint) {
        return List.of();
    }

    /** One message to the owners and partner contacts of every endpoint of an approved replacement plan. */
    void sendPlan(String incidentId, List<String> endpoints, String kind, String subject, String body);

    /** Briefs the executives, when the severity policy says they must hear of the incident. */
    void briefExecutives(String incidentId, String kind, String subject, String body);
}
