package io.certloop.notify;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The outbox for every authenticated user: with no SMTP server, this is where notifications are read. */
@RestController
class NotificationController {

    private final Notifier notifier;

    NotificationController(Notifier notifier) {
        this.notifier = notifier;
    }

    @GetMapping("/api/notifications")
    List<OutboxEntry> list(@RequestParam(required = false) String incidentId) {
        return notifier.outbox(incidentId == null || incidentId.isBlank() ? null : incidentId);
    }
}
