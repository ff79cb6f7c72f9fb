package io.certloop.runbook;

import io.certloop.notify.Notification;
import io.certloop.notify.Notifier;
import io.certloop.system.security.Groups;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/**
 * Owner notifications go through the notifier: mail when configured, always the outbox and the log.
 * Incident commanders are the engine's users in the incident-commanders group.
 */
@Component
class OwnerNotificationsAdapter implements OwnerNotifications {

    private final Notifier notifier;
    private final IdentityService identity;

    OwnerNotificationsAdapter(Notifier notifier, IdentityService identity) {
        this.notifier = notifier;
        this.identity = identity;
    }

    @Override
    public void send(String incidentId, String endpoint, String kind, String subject, String body) {
        notifier.notifyOwners(endpoint, incidentId, kind, subject, body);
    }

    @Override
    public List<String> planRecipients(String endpoint) {
        return notifier.ownersAndPartnersOf(endpoint);
    }

    @Override
    public void sendPlan(String incidentId, List<String> endpoints, String kind, String subject, String body) {
        notifier.notifyOwnersAndPartners(endpoints, incidentId, kind, subject, body);
    }

    @Override
    public void pageIncidentCommanders(String incidentId, String kind, String subject, String body) {
        List<String> commanders = identity.createUserQuery().memberOfGroup(Groups.INCIDENT_COMMANDERS).list().stream()
                .map(User::getEmail)
                .filter(email -> email != null && !email.isBlank())
                .distinct()
                .toList();
        notifier.notify(new Notification(incidentId, kind, commanders, "[page] " + subject, body));
    }

    @Override
    public void briefExecutives(String incidentId, String kind, String subject, String body) {
        notifier.notifyExecutives(incidentId, kind, subject, body);
    }
}
