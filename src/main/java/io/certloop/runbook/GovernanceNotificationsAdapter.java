package io.certloop.runbook;

import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.inventory.Owner;
import io.certloop.notify.Notification;
import io.certloop.notify.Notifier;
import io.certloop.system.security.Groups;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/**
 * Governance notifications go through the notifier (mail when configured, always the outbox). The requester
 * and the PKI board are the engine's users; the owners come from the inventory.
 */
@Component
class GovernanceNotificationsAdapter implements GovernanceNotifications {

    private final Notifier notifier;
    private final IdentityService identity;
    private final InventoryService inventory;

    GovernanceNotificationsAdapter(Notifier notifier, IdentityService identity, InventoryService inventory) {
        this.notifier = notifier;
        this.identity = identity;
        this.inventory = inventory;
    }

    @Override
    public List<String> send(
            String reference,
            String endpoint,
            String requester,
            Audience audience,
            String kind,
            String subject,
            String body) {
        Set<String> recipients = new LinkedHashSet<>();
        if (requester != null) {
            User user = identity.createUserQuery().userId(requester).singleResult();
            add(recipients, user == null ? null : user.getEmail());
        }
        Endpoint target =
                endpoint == null ? null : inventory.findByName(endpoint).orElse(null);
        if (target != null && audience != Audience.REQUESTER && audience != Audience.BOARD_AND_EXECUTIVES) {
            add(recipients, email(target.serviceOwner()));
            if (audience != Audience.SERVICE_OWNER) {
                add(recipients, email(target.certificateOwner()));
            }
        }
        if (audience == Audience.OWNERS_AND_BOARD || audience == Audience.BOARD_AND_EXECUTIVES) {
            identity.createUserQuery()
                    .memberOfGroup(Groups.PKI_BOARD)
                    .list()
                    .forEach(u -> add(recipients, u.getEmail()));
        }
        List<String> to = new ArrayList<>(recipients);
        notifier.notify(new Notification(reference, kind, to, subject, body));
        if (audience == Audience.BOARD_AND_EXECUTIVES) {
            notifier.notifyExecutives(reference, kind, subject, body);
        }
        return to;
    }

    private static String email(Owner owner) {
        return owner == null ? null : owner.email();
    }

    private static void add(Set<String> recipients, String email) {
        if (email != null && !email.isBlank()) {
            recipients.add(email.strip());
        }
    }
}
