package io.certloop.incident;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.Page;
import io.certloop.system.Paging;
import io.certloop.system.security.Caller;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Incidents REST API: every user reads, operators open incidents by hand. */
@RestController
@RequestMapping("/api/incidents")
class IncidentController {

    private final IncidentService incidents;
    private final Paging paging;

    IncidentController(IncidentService incidents, Paging paging) {
        this.incidents = incidents;
        this.paging = paging;
    }

    /** Newest first; {@code limit} (default 100) and {@code offset} page it, a {@code Link} header names the next page. */
    @GetMapping
    ResponseEntity<List<Incident>> list(
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String endpoint,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Integer offset) {
        Page page = paging.of(limit, offset);
        IncidentState filter = null;
        if (state != null && !state.isBlank()) {
            filter = IncidentState.parse(state)
                    .orElseThrow(() -> new InvalidRequestException(
                            "state", "not a valid value: " + state + "; allowed: open, resolved, closed"));
        }
        return page.answer(incidents.list(filter, endpoint == null || endpoint.isBlank() ? null : endpoint, page));
    }

    @GetMapping("/{id}")
    IncidentDetail get(@PathVariable String id) {
        return new IncidentDetail(incidents.get(id), incidents.timeline(id));
    }

    @PostMapping
    @RequiresGroup(Groups.OPERATORS)
    ResponseEntity<OpenedResponse> open(@RequestBody OpenRequest request, Caller caller) {
        Opening opening = incidents.open(new OpenIncident(
                request.endpoint(),
                request.category(),
                request.subcategory(),
                request.reason(),
                "operator",
                caller.userId(),
                Map.of("openedBy", caller.userId())));
        OpenedResponse body = new OpenedResponse(opening.incident(), opening.deduplicated());
        if (opening.deduplicated()) {
            return ResponseEntity.ok(body);
        }
        return ResponseEntity.created(
                        URI.create("/api/incidents/" + opening.incident().id()))
                .body(body);
    }

    /** An incident commander resolves an open incident by hand; its runbook goes on to the review. */
    @PostMapping("/{id}/resolve")
    @RequiresGroup(Groups.INCIDENT_COMMANDERS)
    Incident resolve(@PathVariable String id, @RequestBody(required = false) ReasonRequest request, Caller caller) {
        return incidents.resolveByCommander(id, caller.userId(), reason(request));
    }

    /** An incident commander closes an incident (a duplicate, not a certificate incident, reviewed elsewhere); its runbook ends. */
    @PostMapping("/{id}/close")
    @RequiresGroup(Groups.INCIDENT_COMMANDERS)
    Incident close(@PathVariable String id, @RequestBody(required = false) ReasonRequest request, Caller caller) {
        return incidents.closeByCommander(id, caller.userId(), reason(request));
    }

    private static String reason(ReasonRequest request) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw new InvalidRequestException("reason", "is required");
        }
        if (request.reason().length() > 2000) {
            throw new InvalidRequestException("reason", "must be at most 2000 characters");
        }
        return request.reason().strip();
    }

    record ReasonRequest(String reason) {}

    record OpenRequest(String endpoint, String category, String subcategory, String reason) {}

    record OpenedResponse(@JsonUnwrapped Incident incident, boolean deduplicated) {}

    record IncidentDetail(@JsonUnwrapped Incident incident, List<TimelineEntry> timeline) {}
}
