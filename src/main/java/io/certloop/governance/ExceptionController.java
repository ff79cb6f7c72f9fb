package io.certloop.governance;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.certloop.system.InvalidRequestException;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Exceptions REST API: operators and incident commanders ask, the PKI board decides in Tasklist and may
 * revoke here, everyone reads.
 */
@RestController
@RequestMapping("/api/exceptions")
class ExceptionController {

    private final ExceptionService exceptions;
    private final Paging paging;

    ExceptionController(ExceptionService exceptions, Paging paging) {
        this.exceptions = exceptions;
        this.paging = paging;
    }

    @PostMapping
    @RequiresGroup({Groups.OPERATORS, Groups.INCIDENT_COMMANDERS})
    ResponseEntity<ExceptionRecord> request(@RequestBody RequestBodyJson body, Caller caller) {
        ExceptionRecord created = exceptions.request(
                new ExceptionService.Request(
                        body.endpoint(),
                        body.findingCode(),
                        body.reason(),
                        body.compensatingControls(),
                        body.expiresAt()),
                caller.userId());
        return ResponseEntity.created(URI.create("/api/exceptions/" + created.id()))
                .body(created);
    }

    /** Newest first; {@code limit} (default 100) and {@code offset} page it, a {@code Link} header names the next page. */
    @GetMapping
    ResponseEntity<List<ExceptionRecord>> list(
            @RequestParam(required = false) String state,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Integer offset) {
        Page page = paging.of(limit, offset);
        ExceptionState filter = null;
        if (state != null && !state.isBlank()) {
            filter = ExceptionState.parse(state)
                    .orElseThrow(() -> new InvalidRequestException(
                            "state", "not a valid value: " + state + "; allowed: " + ExceptionState.allowed()));
        }
        return page.answer(exceptions.list(filter, page));
    }

    @GetMapping("/{id}")
    ExceptionDetail get(@PathVariable String id) {
        ExceptionRecord exception = exceptions.get(id);
        return new ExceptionDetail(exception, exceptions.history(id), exceptions.previous(exception));
    }

    @PostMapping("/{id}/revoke")
    @RequiresGroup(Groups.PKI_BOARD)
    ExceptionRecord revoke(@PathVariable String id, @RequestBody(required = false) RevokeJson body, Caller caller) {
        return exceptions.revoke(id, caller.userId(), body == null ? null : body.reason());
    }

    /** {@code expiresAt} as text, so a malformed instant is reported against its field. */
    record RequestBodyJson(
            String endpoint, String findingCode, String reason, String compensatingControls, String expiresAt) {}

    record RevokeJson(String reason) {}

    /**
     * @param history  the decision history: who requested, decided, was reminded, when it ended
     * @param previous earlier requests for the same endpoint and finding (a renewal shows them)
     */
    record ExceptionDetail(
            @JsonUnwrapped ExceptionRecord exception, List<ExceptionEvent> history, List<ExceptionRecord> previous) {}
}
