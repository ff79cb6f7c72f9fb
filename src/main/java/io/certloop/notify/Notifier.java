package io.certloop.notify;

import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.inventory.Owner;
import io.certloop.system.Page;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells people about incidents. Mail goes out when an SMTP server is configured
 * ({@code spring.mail.host}); every notification is recorded in the outbox with what became of it,
 * and logged. A mail failure never reaches the caller: a runbook must not fail or stall because
 * a mail server is down (connection and read timeouts are bounded in configuration).
 */
@Service
public class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final ObjectProvider<JavaMailSender> mail;
    private final OutboxRepository outbox;
    private final InventoryService inventory;
    private final NotifyProperties properties;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;

    Notifier(
            ObjectProvider<JavaMailSender> mail,
            OutboxRepository outbox,
            InventoryService inventory,
            NotifyProperties properties,
            Clock clock,
            PlatformTransactionManager transactions) {
        this.mail = mail;
        this.outbox = outbox;
        this.inventory = inventory;
        this.properties = properties;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Sends to the notification's recipients (the fallback recipients when it has none) and
     * records the outcome in the outbox in its own transaction, so the record of a mail that went
     * out survives a rollback of the caller.
     */
    public DeliveryStatus notify(Notification notification) {
        List<String> recipients = dedupe(
                notification.recipients().isEmpty() ? properties.fallbackRecipients() : notification.recipients());
        JavaMailSender sender = mail.getIfAvailable();
        DeliveryStatus status;
        String failure = null;
        if (sender == null) {
            status = DeliveryStatus.OUTBOX_ONLY;
        } else if (recipients.isEmpty()) {
            status = DeliveryStatus.FAILED;
            failure = "no recipients: no owner known and certloop.notify.fallback-recipients is empty";
        } else {
            try {
                SimpleMailMessage message = new SimpleMailMessage();
                message.setFrom(properties.from());
                message.setTo(recipients.toArray(String[]::new));
                message.setSubject(notification.subject());
                message.setText(notification.body());
                sender.send(message);
                status = DeliveryStatus.SENT;
            } catch (MailException e) {
                status = DeliveryStatus.FAILED;
                failure = describe(e);
            }
        }
        DeliveryStatus outcome = status;
        String reason = failure;
        ownTransaction.executeWithoutResult(
                tx -> outbox.insert(notification, recipients, outcome, reason, clock.instant()));
        if (outcome == DeliveryStatus.FAILED) {
            log.warn(
                    "Notification {} for incident {} to {} FAILED: {} (subject: {})",
                    notification.kind(),
                    notification.incidentId(),
                    recipients,
                    reason,
                    notification.subject());
        } else {
            log.info(
                    "Notification {} for incident {} to {}: {} (subject: {})",
                    notification.kind(),
                    notification.incidentId(),
                    recipients,
                    outcome,
                    notification.subject());
        }
        return outcome;
    }

    /**
     * Sends to both the service owner and the certificate owner of the endpoint, whichever are
     * known (the fallback recipients when neither is, or the endpoint is unknown).
     */
    public DeliveryStatus notifyOwners(
            String endpointName, String incidentId, String kind, String subject, String body) {
        List<String> recipients =
                inventory.findByName(endpointName).map(Notifier::ownersOf).orElse(List.of());
        return notify(new Notification(incidentId, kind, recipients, subject, body));
    }

    /**
     * Owners and partner contacts of one endpoint ({@code partnerContacts} in the inventory), without duplicates;
     * empty for an unknown endpoint.
     */
    public List<String> ownersAndPartnersOf(String endpointName) {
        return inventory
                .findByName(endpointName)
                .map(endpoint -> {
                    List<String> all = new java.util.ArrayList<>(ownersOf(endpoint));
                    all.addAll(endpoint.partnerContacts());
                    return dedupe(all);
                })
                .orElse(List.of());
    }

    /**
     * One message to the owners and partner contacts of every endpoint named (an approved replacement plan), each
     * address once; the fallback recipients when none is known.
     */
    public DeliveryStatus notifyOwnersAndPartners(
            List<String> endpointNames, String incidentId, String kind, String subject, String body) {
        List<String> recipients = new java.util.ArrayList<>();
        endpointNames.forEach(name -> recipients.addAll(ownersAndPartnersOf(name)));
        return notify(new Notification(incidentId, kind, dedupe(recipients), subject, body));
    }

    /** Briefs the executives (certloop.notify.executives; the fallback recipients when none are configured). */
    public DeliveryStatus notifyExecutives(String incidentId, String kind, String subject, String body) {
        return notify(
                new Notification(incidentId, kind, properties.executives(), "[executive brief] " + subject, body));
    }

    /** Outbox entries, newest first; {@code incidentId} may be null for all. */
    public List<OutboxEntry> outbox(String incidentId) {
        return outbox.list(incidentId);
    }

    /** Newest first: {@link Page#fetch()} entries after the page's offset. */
    public List<OutboxEntry> outbox(String incidentId, Page page) {
        return outbox.list(incidentId, page.offset(), page.fetch());
    }

    /** Service owner and certificate owner mail addresses, whichever are known, without duplicates. */
    static List<String> ownersOf(Endpoint endpoint) {
        Set<String> owners = new LinkedHashSet<>();
        for (Owner owner : new Owner[] {endpoint.serviceOwner(), endpoint.certificateOwner()}) {
            if (owner != null && owner.email() != null && !owner.email().isBlank()) {
                owners.add(owner.email().strip());
            }
        }
        return dedupe(List.copyOf(owners));
    }

    /** Case-insensitive on the address, first spelling kept. */
    static List<String> dedupe(List<String> addresses) {
        Set<String> seen = new LinkedHashSet<>();
        return addresses.stream()
                .filter(a -> a != null && !a.isBlank())
                .map(String::strip)
                .filter(a -> seen.add(a.toLowerCase(Locale.ROOT)))
                .toList();
    }

    private static String describe(MailException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage()
                + (root != e ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }
}
