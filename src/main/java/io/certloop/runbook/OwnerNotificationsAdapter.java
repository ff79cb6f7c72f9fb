package io.certloop.runbook;

import io.certloop.notify.Notifier;
import org.springframework.stereotype.Component;

/** Owner notifications go through the notifier: mail when configured, always the outbox and the log. */
@Component
class OwnerNotificationsAdapter implements OwnerNotifications {

    private final Notifier notifier;

    OwnerNotificationsAdapter(Notifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public void send(String incidentId, String endpoint, String kind, String subject, String body) {
        notifier.notifyOwners(endpoint, incidentId, kind, subject, body);
    }
}
