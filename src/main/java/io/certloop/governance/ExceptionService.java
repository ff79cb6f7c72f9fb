package io.certloop.governance;

import io.certloop.inventory.Endpoint;
import io.certloop.inventory.Environment;
import io.certloop.inventory.InventoryService;
import io.certloop.probe.FindingCodes;
import io.certloop.system.ConflictException;
import io.certloop.system.FieldError;
import io.certloop.system.ForbiddenException;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.NotFoundException;
import io.certloop.system.Page;
import io.certloop.system.Text;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Time-boxed exceptions to certificate policy. A request is validated, stored and announced with
 * {@link ExceptionRequested} in one transaction (the board's review process starts with it); the board's
 * decision, reminders, expiry and revocation are recorded here with who did them. The detection loop asks
 * {@link #suppressions} which findings an active exception covers: the record decides, never a variable.
 */
@Service
public class ExceptionService {

    /** The actor CertLoop writes under when no person is behind a change (timers). */
    public static final String SYSTEM_ACTOR = "certloop";

    /** Longest reason, compensating controls or decision comment an exception keeps (its columns and variables). */
    static final int MAX_TEXT = 4000;
    /** Never excepted on a production endpoint: an expired or revoked certificate in production is an incident. */
    static final Set<String> NEVER_IN_PRODUCTION = Set.of(FindingCodes.EXPIRED, FindingCodes.REVOKED);

    private static final Logger log = LoggerFactory.getLogger(ExceptionService.class);

    private final ExceptionRepository repository;
    private final InventoryService inventory;
    private final ExceptionProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ExceptionService(
            ExceptionRepository repository,
            InventoryService inventory,
            ExceptionProperties properties,
            ApplicationEventPublisher events,
            Clock clock) {
        this.repository = repository;
        this.inventory = inventory;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    /** What a requester asks for; {@code expiresAt} is an ISO-8601 instant. */
    public record Request(
            String endpoint, String findingCode, String reason, String compensatingControls, String expiresAt) {}

    /**
     * Stores a pending exception and starts the board's review. Every problem names its field and nothing
     * is written.
     */
    @Transactional
    public ExceptionRecord request(Request request, String requestedBy) {
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        Endpoint endpoint = null;
        if (blank(request.endpoint())) {
            errors.add(new FieldError("endpoint", "is required"));
        } else {
            endpoint = inventory.findByName(request.endpoint().strip()).orElse(null);
            if (endpoint == null) {
                errors.add(new FieldError("endpoint", "no inventory endpoint named " + request.endpoint()));
            }
        }
        String code =
                request.findingCode() == null ? null : request.findingCode().strip();
        if (blank(code)) {
            errors.add(new FieldError("findingCode", "is required"));
        } else if (!FindingCodes.ALL.contains(code)) {
            errors.add(new FieldError(
                    "findingCode",
                    "unknown finding code " + code + "; allowed: " + String.join(", ", FindingCodes.ALL)));
        } else if (endpoint != null
                && endpoint.environment() == Environment.PRODUCTION
                && NEVER_IN_PRODUCTION.contains(code)) {
            errors.add(new FieldError(
                    "findingCode", code + " on a production endpoint is never excepted: replace the certificate"));
        }
        if (blank(request.reason())) {
            errors.add(new FieldError("reason", "is required"));
        }
        if (blank(request.compensatingControls())) {
            errors.add(new FieldError("compensatingControls", "must name the controls that make up for the exception"));
        }
        Text.checkLength(
                errors,
                "reason",
                blank(request.reason()) ? null : request.reason().strip(),
                MAX_TEXT);
        Text.checkLength(
                errors,
                "compensatingControls",
                blank(request.compensatingControls())
                        ? null
                        : request.compensatingControls().strip(),
                MAX_TEXT);
        Instant expiresAt = null;
        if (blank(request.expiresAt())) {
            errors.add(new FieldError("expiresAt", "is required (an ISO-8601 instant such as 2026-12-31T00:00:00Z)"));
        } else {
            try {
                expiresAt = Instant.parse(request.expiresAt().strip());
                if (!expiresAt.isAfter(now)) {
                    errors.add(new FieldError("expiresAt", "must be in the future"));
                } else if (expiresAt.isAfter(now.plus(properties.maxDuration()))) {
                    errors.add(new FieldError(
                            "expiresAt",
                            "must be within " + properties.maxDuration()
                                    + " (certloop.exceptions.max-duration) of now"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("expiresAt", "not an ISO-8601 instant: " + request.expiresAt()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        ExceptionRecord record = new ExceptionRecord(
                repository.nextId(now.atZone(ZoneOffset.UTC).getYear()),
                endpoint.name(),
                code,
                request.reason().strip(),
                request.compensatingControls().strip(),
                ExceptionState.PENDING,
                requestedBy,
                now,
                expiresAt,
                expiresAt,
                null,
                null,
                null,
                null,
                null,
                now);
        String previous = previousDecisions(record);
        repository.insert(record);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("endpoint", record.endpoint());
        detail.put("findingCode", record.findingCode());
        detail.put("reason", record.reason());
        detail.put("compensatingControls", record.compensatingControls());
        detail.put("expiresAt", expiresAt.toString());
        repository.append(record.id(), now, ExceptionEvent.REQUESTED, requestedBy, detail);
        events.publishEvent(new ExceptionRequested(record, previous));
        log.info(
                "Exception {} requested by {} for {} on endpoint {} until {}",
                record.id(),
                requestedBy,
                code,
                record.endpoint(),
                expiresAt);
        return get(record.id());
    }

    /** Links the review process; the four-eyes rule finds the requester through it. */
    @Transactional
    public void attachProcess(String id, String processInstanceId) {
        Instant now = clock.instant();
        repository.attachProcess(id, processInstanceId, now);
        repository.append(
                id, now, ExceptionEvent.PROCESS_ATTACHED, SYSTEM_ACTOR, Map.of("processInstanceId", processInstanceId));
    }

    /**
     * The board's decision. The decider is the authenticated user, never the requester.
     *
     * @param approvedExpiresAt null to keep the requested expiry; otherwise an earlier instant
     * @throws ForbiddenException      when the requester tries to decide their own exception
     * @throws InvalidRequestException naming {@code approvedExpiresAt} or {@code decisionComment}
     * @throws ConflictException       when the exception is no longer pending
     */
    @Transactional
    public ExceptionRecord decide(
            String id, String decidedBy, boolean approve, String comment, String approvedExpiresAt) {
        ExceptionRecord current = locked(id);
        if (blank(decidedBy) || decidedBy.equals(current.requestedBy())) {
            throw new ForbiddenException("four eyes: " + current.requestedBy() + " requested exception " + id
                    + " and cannot decide it; another member of the PKI board must");
        }
        if (current.state() != ExceptionState.PENDING) {
            throw new ConflictException(
                    "exception " + id + " is " + current.state().value() + ", not pending");
        }
        Instant now = clock.instant();
        if (blank(comment)) {
            throw new InvalidRequestException("decisionComment", "is required: say why");
        }
        Text.requireLength("decisionComment", comment.strip(), MAX_TEXT);
        Instant expiresAt = current.requestedExpiresAt();
        if (approve && !blank(approvedExpiresAt)) {
            try {
                expiresAt = Instant.parse(approvedExpiresAt.strip());
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("approvedExpiresAt", "not an ISO-8601 instant: " + approvedExpiresAt);
            }
            if (expiresAt.isAfter(current.requestedExpiresAt())) {
                throw new InvalidRequestException(
                        "approvedExpiresAt",
                        "may shorten the exception, not extend it beyond " + current.requestedExpiresAt());
            }
            if (!expiresAt.isAfter(now)) {
                throw new InvalidRequestException("approvedExpiresAt", "must be in the future");
            }
        }
        ExceptionState state = approve ? ExceptionState.ACTIVE : ExceptionState.REJECTED;
        repository.decide(id, state, decidedBy, comment.strip(), expiresAt, now);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("comment", comment.strip());
        if (approve) {
            detail.put("expiresAt", expiresAt.toString());
            detail.put("shortened", !expiresAt.equals(current.requestedExpiresAt()));
        }
        repository.append(id, now, approve ? ExceptionEvent.APPROVED : ExceptionEvent.REJECTED, decidedBy, detail);
        log.info(
                "Exception {} {} by {}{}",
                id,
                approve ? "approved" : "rejected",
                decidedBy,
                approve ? " until " + expiresAt : "");
        return get(id);
    }

    /** A reminder went out; recorded on the history. */
    @Transactional
    public void reminded(String id, List<String> recipients) {
        get(id);
        repository.append(id, clock.instant(), ExceptionEvent.REMINDED, SYSTEM_ACTOR, Map.of("recipients", recipients));
    }

    /** Ends an active exception at its expiry. Idempotent; an exception no longer active stays as it is. */
    @Transactional
    public ExceptionRecord expire(String id) {
        ExceptionRecord current = locked(id);
        if (current.state() != ExceptionState.ACTIVE) {
            return current;
        }
        Instant now = clock.instant();
        repository.end(id, ExceptionState.EXPIRED, now);
        repository.append(
                id,
                now,
                ExceptionEvent.EXPIRED,
                SYSTEM_ACTOR,
                Map.of("expiresAt", current.expiresAt().toString()));
        log.info(
                "Exception {} for {} on endpoint {} expired: its finding opens incidents again",
                id,
                current.findingCode(),
                current.endpoint());
        return get(id);
    }

    /**
     * The exception's state, read under its record's lock, which the caller's transaction holds until it ends:
     * a revocation committed before is seen here, and one that comes later waits for the caller to commit. The
     * review process reads it on its way to waiting for a revocation, so none is missed in between.
     */
    @Transactional
    public ExceptionState standing(String id) {
        return locked(id).state();
    }

    /**
     * The board ends an active exception early.
     *
     * @throws ConflictException when it is not active
     */
    @Transactional
    public ExceptionRecord revoke(String id, String revokedBy, String reason) {
        Text.requireLength("reason", blank(reason) ? null : reason.strip(), MAX_TEXT);
        ExceptionRecord current = locked(id);
        if (current.state() != ExceptionState.ACTIVE) {
            throw new ConflictException(
                    "exception " + id + " is " + current.state().value() + "; only an active one can be revoked");
        }
        Instant now = clock.instant();
        repository.end(id, ExceptionState.REVOKED, now);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", blank(reason) ? "" : reason.strip());
        repository.append(id, now, ExceptionEvent.REVOKED, revokedBy, detail);
        ExceptionRecord revoked = get(id);
        events.publishEvent(new ExceptionRevoked(revoked, revokedBy, reason));
        log.info("Exception {} revoked by {}: {}", id, revokedBy, reason);
        return revoked;
    }

    /**
     * The findings of an endpoint that an active, unexpired exception covers: finding code to exception id.
     * The detection loop marks them and opens no incident for them.
     */
    public Map<String, String> suppressions(String endpointName) {
        return repository.activeFor(endpointName, clock.instant()).stream()
                .collect(
                        Collectors.toMap(ExceptionRecord::findingCode, ExceptionRecord::id, (newest, older) -> newest));
    }

    public long countActive() {
        return repository.countActive(clock.instant());
    }

    /** Who asked for the exception a review process is about; empty when no record names the process. */
    public Optional<String> requesterOf(String processInstanceId) {
        return repository.findByProcessInstance(processInstanceId).map(ExceptionRecord::requestedBy);
    }

    public Optional<ExceptionRecord> find(String id) {
        return repository.findById(id);
    }

    public ExceptionRecord get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("No exception " + id));
    }

    /** Newest first; state may be null for all. */
    /** Newest first: {@link Page#fetch()} exceptions after the page's offset. */
    public List<ExceptionRecord> list(ExceptionState state, Page page) {
        return repository.list(state, page.offset(), page.fetch());
    }

    public List<ExceptionEvent> history(String id) {
        get(id);
        return repository.history(id);
    }

    /** The earlier requests for the same endpoint and finding, newest first. */
    public List<ExceptionRecord> previous(ExceptionRecord exception) {
        return repository.previous(exception.endpoint(), exception.findingCode()).stream()
                .filter(e -> !e.id().equals(exception.id()))
                .toList();
    }

    private String previousDecisions(ExceptionRecord exception) {
        List<ExceptionRecord> previous = previous(exception);
        if (previous.isEmpty()) {
            return "none: first request for this finding on this endpoint";
        }
        // a process variable (the board's form shows it): a long history is cut to what a text variable holds
        return Text.cut(
                previous.stream()
                        .map(e -> e.id() + ": " + e.state().value()
                                + (e.decidedBy() == null
                                        ? ""
                                        : " by " + e.decidedBy() + " (" + e.decisionComment() + ")")
                                + ", until " + e.expiresAt())
                        .collect(Collectors.joining("\n")),
                MAX_TEXT);
    }

    private ExceptionRecord locked(String id) {
        return repository.lock(id).orElseThrow(() -> new NotFoundException("No exception " + id));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
