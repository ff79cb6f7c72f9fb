package io.certloop.governance;

import io.certloop.incident.Incident;
import io.certloop.incident.IncidentService;
import io.certloop.system.ConflictException;
import io.certloop.system.ForbiddenException;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.NotFoundException;
import io.certloop.system.Text;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Break-glass: an emergency replacement for an open incident. The request, every approval (by whom), the
 * emergency and standard certificates and the board's review are recorded here and on the incident's timeline;
 * the records, not process variables, decide who may approve and whether enough distinct approvers have.
 */
@Service
public class BreakGlassService {

    /** Longest reason or decision comment a break-glass keeps (its columns and the runbook's variables). */
    static final int MAX_TEXT = 4000;

    /** Timeline entry types on the incident. */
    public static final String REQUESTED = "break-glass-requested";

    public static final String APPROVAL = "break-glass-approval";
    public static final String APPROVED = "break-glass-approved";
    public static final String REJECTED = "break-glass-rejected";
    public static final String EMERGENCY_VERIFIED = "break-glass-emergency-verified";
    public static final String STANDARD_VERIFIED = "break-glass-standard-replacement-verified";
    public static final String REVIEWED = "break-glass-reviewed";

    private static final Logger log = LoggerFactory.getLogger(BreakGlassService.class);

    private final BreakGlassRepository repository;
    private final IncidentService incidents;
    private final BreakGlassProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    BreakGlassService(
            BreakGlassRepository repository,
            IncidentService incidents,
            BreakGlassProperties properties,
            ApplicationEventPublisher events,
            Clock clock) {
        this.repository = repository;
        this.incidents = incidents;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Asks for an emergency replacement on an open incident and starts its approval.
     *
     * @throws NotFoundException       no such incident
     * @throws ConflictException       the incident is not open, or a break-glass for it is still running
     * @throws InvalidRequestException naming {@code reason}
     */
    @Transactional
    public BreakGlassRecord request(String incidentId, String reason, String requestedBy) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidRequestException("reason", "is required: why the normal path is too slow or blocked");
        }
        Text.requireLength("reason", reason.strip(), MAX_TEXT);
        Incident incident = incidents.get(incidentId);
        if (!incident.isOpen()) {
            throw new ConflictException("incident " + incidentId + " is "
                    + incident.state().value() + "; break-glass is for open incidents");
        }
        boolean running = repository.forIncident(incidentId).stream()
                .anyMatch(b -> b.state() == BreakGlassState.PENDING
                        || (b.state() == BreakGlassState.APPROVED && b.emergencySha256() == null));
        if (running) {
            throw new ConflictException("a break-glass for incident " + incidentId + " is already waiting or running");
        }
        Instant now = clock.instant();
        BreakGlassRecord record = new BreakGlassRecord(
                repository.nextId(now.atZone(ZoneOffset.UTC).getYear()),
                incidentId,
                incident.endpoint(),
                incident.severity().level(),
                reason.strip(),
                BreakGlassState.PENDING,
                properties.approversFor(incident.severity().level()),
                requestedBy,
                now,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                now);
        repository.insert(record);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("breakGlassId", record.id());
        detail.put("reason", record.reason());
        detail.put("approvalsNeeded", record.approvalsNeeded());
        incidents.record(incidentId, REQUESTED, requestedBy, detail);
        events.publishEvent(new BreakGlassRequested(record));
        log.info(
                "Break-glass {} requested by {} on incident {} ({}), {} approver(s) needed",
                record.id(),
                requestedBy,
                incidentId,
                record.severity(),
                record.approvalsNeeded());
        return get(record.id());
    }

    @Transactional
    public void attachProcess(String id, String processInstanceId) {
        repository.attachProcess(id, processInstanceId, clock.instant());
    }

    /** Where a request stands after a decision. */
    public record Decision(BreakGlassState state, int approvals, int approvalsNeeded, Instant reviewDueAt) {}

    /**
     * One approver's decision. Four eyes (never the requester) and distinct approvers are checked on the record.
     *
     * @throws ForbiddenException      the requester, or an approver who already approved
     * @throws InvalidRequestException naming {@code decisionComment}
     * @throws ConflictException       the request is no longer pending
     */
    @Transactional
    public Decision decide(String id, String approver, boolean approve, String comment) {
        BreakGlassRecord current = locked(id);
        if (approver == null || approver.isBlank() || approver.equals(current.requestedBy())) {
            throw new ForbiddenException(
                    "four eyes: " + current.requestedBy() + " requested break-glass " + id + " and cannot approve it");
        }
        if (current.state() != BreakGlassState.PENDING) {
            throw new ConflictException(
                    "break-glass " + id + " is " + current.state().value() + ", not pending");
        }
        if (repository.hasDecided(id, approver)) {
            throw new ForbiddenException(approver + " already approved break-glass " + id
                    + "; a different approver must give the next approval");
        }
        if (comment == null || comment.isBlank()) {
            throw new InvalidRequestException("decisionComment", "is required: say why");
        }
        Text.requireLength("decisionComment", comment.strip(), MAX_TEXT);
        Instant now = clock.instant();
        repository.addApproval(id, approver, approve, comment.strip(), now);
        int approvals = repository.countApprovals(id);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("breakGlassId", id);
        detail.put("approved", approve);
        detail.put("comment", comment.strip());
        detail.put("approvals", approvals);
        detail.put("approvalsNeeded", current.approvalsNeeded());
        incidents.record(current.incidentId(), APPROVAL, approver, detail);
        if (!approve) {
            repository.reject(id, now);
            incidents.record(
                    current.incidentId(), REJECTED, approver, Map.of("breakGlassId", id, "reason", comment.strip()));
            log.info("Break-glass {} on incident {} rejected by {}: {}", id, current.incidentId(), approver, comment);
            return new Decision(BreakGlassState.REJECTED, approvals, current.approvalsNeeded(), null);
        }
        if (approvals < current.approvalsNeeded()) {
            return new Decision(BreakGlassState.PENDING, approvals, current.approvalsNeeded(), null);
        }
        Instant reviewDue = now.plus(properties.reviewWithin());
        repository.approve(id, reviewDue, now);
        incidents.record(
                current.incidentId(),
                APPROVED,
                approver,
                Map.of("breakGlassId", id, "approvers", repository.approvers(id), "reviewDueAt", reviewDue.toString()));
        log.info(
                "Break-glass {} on incident {} approved by {}; board review due {}",
                id,
                current.incidentId(),
                repository.approvers(id),
                reviewDue);
        return new Decision(BreakGlassState.APPROVED, approvals, current.approvalsNeeded(), reviewDue);
    }

    /** The emergency certificate is live and verified by a fresh probe. */
    @Transactional
    public void emergencyVerified(String id, String sha256, Instant notAfter) {
        BreakGlassRecord current = locked(id);
        repository.emergencyVerified(id, sha256, notAfter, clock.instant());
        incidents.record(
                current.incidentId(),
                EMERGENCY_VERIFIED,
                Map.of("breakGlassId", id, "sha256", sha256, "notAfter", String.valueOf(notAfter)));
    }

    /** The standard certificate replaced the emergency one and is verified live. */
    @Transactional
    public void standardVerified(String id, String sha256) {
        BreakGlassRecord current = locked(id);
        repository.standardVerified(id, sha256, clock.instant());
        incidents.record(current.incidentId(), STANDARD_VERIFIED, Map.of("breakGlassId", id, "sha256", sha256));
    }

    /** The PKI board's post-event review, by the authenticated reviewer. */
    @Transactional
    public void reviewed(String id, String reviewer, Map<String, ?> review) {
        BreakGlassRecord current = locked(id);
        if (reviewer == null || reviewer.isBlank()) {
            throw new ForbiddenException("a break-glass review needs an authenticated reviewer");
        }
        repository.reviewed(id, reviewer, clock.instant());
        Map<String, Object> detail = new LinkedHashMap<>(review);
        detail.put("breakGlassId", id);
        incidents.record(current.incidentId(), REVIEWED, reviewer, detail);
    }

    public Optional<String> requesterOf(String processInstanceId) {
        return repository.findByProcessInstance(processInstanceId).map(BreakGlassRecord::requestedBy);
    }

    public Optional<BreakGlassRecord> findByProcessInstance(String processInstanceId) {
        return repository.findByProcessInstance(processInstanceId);
    }

    public List<BreakGlassRecord> forIncident(String incidentId) {
        incidents.get(incidentId);
        return repository.forIncident(incidentId);
    }

    public BreakGlassRecord get(String id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("No break-glass " + id));
    }

    private BreakGlassRecord locked(String id) {
        return repository.lock(id).orElseThrow(() -> new NotFoundException("No break-glass " + id));
    }
}
