package io.certloop.governance;

import io.certloop.system.Page;
import io.certloop.system.Paging;
import io.certloop.system.security.Caller;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/incidents/{id}/break-glass}: operators and incident commanders ask for an emergency
 * replacement; 202 with the process instance, whose approval waits in Tasklist for the approvers.
 */
@RestController
class BreakGlassController {

    private final BreakGlassService breakGlass;
    private final Paging paging;

    BreakGlassController(BreakGlassService breakGlass, Paging paging) {
        this.breakGlass = breakGlass;
        this.paging = paging;
    }

    @PostMapping("/api/incidents/{id}/break-glass")
    @RequiresGroup({Groups.OPERATORS, Groups.INCIDENT_COMMANDERS})
    ResponseEntity<BreakGlassRecord> request(
            @PathVariable String id, @RequestBody(required = false) RequestJson body, Caller caller) {
        BreakGlassRecord record = breakGlass.request(id, body == null ? null : body.reason(), caller.userId());
        return ResponseEntity.accepted()
                .location(URI.create("/api/incidents/" + id + "/break-glass"))
                .body(record);
    }

    /** Oldest first; {@code limit} (default 100) and {@code offset} page it. */
    @GetMapping("/api/incidents/{id}/break-glass")
    ResponseEntity<List<BreakGlassRecord>> list(
            @PathVariable String id,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Integer offset) {
        Page page = paging.of(limit, offset);
        return page.answer(page.slice(breakGlass.forIncident(id)));
    }

    record RequestJson(String reason) {}
}
