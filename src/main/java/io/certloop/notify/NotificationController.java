package io.certloop.notify;

import io.certloop.system.Page;
import io.certloop.system.Paging;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The outbox for every authenticated user: with no SMTP server, this is where notifications are read. */
@RestController
class NotificationController {

    private final Notifier notifier;
    private final Paging paging;

    NotificationController(Notifier notifier, Paging paging) {
        this.notifier = notifier;
        this.paging = paging;
    }

    /** Newest first; {@code limit} (default 100) and {@code offset} page it, a {@code Link} header names the next page. */
    @GetMapping("/api/notifications")
    ResponseEntity<List<OutboxEntry>> list(
            @RequestParam(required = false) String incidentId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Integer offset) {
        Page page = paging.of(limit, offset);
        return page.answer(notifier.outbox(incidentId == null || incidentId.isBlank() ? null : incidentId, page));
    }
}
