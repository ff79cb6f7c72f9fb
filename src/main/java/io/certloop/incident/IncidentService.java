package io.certloop.incident;

import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.system.ConflictException;
import io.certloop.system.FieldError;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.NotFoundException;
import io.certloop.system.Page;
import io.certloop.system.Text;
import io.certloop.system.security.CurrentUser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Incidents and their evidence. Opening one is deduplicated (one open incident per endpoint and
 * category; a repeat lands on the open one's timeline) and announced with {@link IncidentOpened}
 * inside the same transaction, so the runbook starts atomically with the record.
 */
@Service
public class IncidentService {

    /** Longest reason an incident keeps (its column); alert and probe text is cut to it before it arrives. */
    public static final int MAX_REASON = 2000;

    /** The actor CertLoop writes under when no person is behind a change. */
    public static final String SYSTEM_ACTOR = "certloop";

    private static final Logger log = LoggerFactory.getLogger(IncidentService.class);

    private final IncidentRepository repository;
    private final InventoryService inventory;
    private final SeverityPolicy severityPolicy;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate savepoint;
    private final List<CloseGuard> closeGuards;
    private final CurrentUser currentUser;

    IncidentService(
            IncidentRepository repository,
            InventoryService inventory,
            SeverityPolicy severityPolicy,
            ApplicationEventPublisher events,
            Clock clock,
            PlatformTransactionManager transactions,
            List<CloseGuard> closeGuards,
            ObjectProvider<CurrentUser> currentUser) {
        this.closeGuards = List.copyOf(closeGuards);
        this.currentUser = currentUser.getIfAvailable(() -> Optional::empty);
        this.repository = repository;
        this.inventory = inventory;
        this.severityPolicy = severityPolicy;
        this.events = events;
        this.clock = clock;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Opens an incident, or adds the request to the open incident of the same endpoint and
     * category. Validation failures name the field ({@code endpoint}, {@code category},
     * {@code subcategory}, {@code reason}) and write nothing.
     */
    @Transactional
    public Opening open(OpenIncident request) {
        return open(request, null);
    }

    /**
     * Opens the one {@code ca-outage} incident of an issuer (a replacement path such as {@code acme}), or adds the
     * request to the one already open for it, whichever endpoint's failures tripped it: the endpoint of the
     * request gives the severity and the owners, the issuer gives the deduplication.
     */
    @Transactional
    public Opening openForIssuer(String issuer, OpenIncident request) {
        if (!Taxonomy.CA_OUTAGE.equals(request.category())) {
            throw new IllegalArgumentException("only ca-outage incidents are opened per issuer");
        }
        return open(request, IncidentRepository.issuerKey(issuer));
    }

    private Opening open(OpenIncident request, String issuerKey) {
        List<FieldError> errors = new ArrayList<>();
        Endpoint endpoint = null;
        if (request.endpoint() == null || request.endpoint().isBlank()) {
            errors.add(new FieldError("endpoint", "is required"));
        } else {
            endpoint = inventory.findByName(request.endpoint()).orElse(null);
            if (endpoint == null) {
                errors.add(new FieldError("endpoint", "no inventory endpoint named " + request.endpoint()));
            }
        }
        String subcategory = null;
        if (!Taxonomy.isCategory(request.category())) {
            errors.add(new FieldError(
                    "category",
                    "unknown category " + request.category() + "; allowed: "
                            + String.join(
                                    ", ",
                                    Taxonomy.categories().stream().sorted().toList())));
        } else if (endpoint != null) {
            try {
                subcategory = Taxonomy.subcategoryFor(request.category(), request.subcategory(), endpoint.environment())
                        .orElse(null);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("subcategory", e.getMessage()));
            }
        }
        if (request.reason() == null || request.reason().isBlank()) {
            errors.add(new FieldError("reason", "is required"));
        }
        Text.checkLength(
                errors,
                "reason",
                request.reason() == null ? null : request.reason().strip(),
                MAX_REASON);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }

        String openKey =
                issuerKey != null ? issuerKey : IncidentRepository.openKey(endpoint.name(), request.category());
        Optional<Incident> existing = repository.findOpenByKey(openKey);
        if (existing.isPresent()) {
            return repeated(existing.get(), request);
        }
        Severity severity = severityPolicy.severityOf(
                request.category(),
                subcategory,
                endpoint.tier(),
                endpoint.environment().value());
        Instant now = clock.instant();
        Incident incident = new Incident(
                repository.nextId(now.atZone(ZoneOffset.UTC).getYear()),
                request.category(),
                subcategory,
                endpoint.name(),
                endpoint.tier(),
                endpoint.environment().value(),
                severity,
                IncidentState.OPEN,
                request.reason().strip(),
                null,
                null,
                now,
                now,
                null,
                null);
        if (!insertUnlessAnotherIsOpen(incident, openKey)) {
            Incident winner = repository
                    .findOpenByKey(openKey)
                    .orElseThrow(() -> new ConflictException("an incident for " + request.endpoint() + " and "
                            + request.category() + " changed concurrently; try again"));
            return repeated(winner, request);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", incident.reason());
        detail.put("source", request.source());
        detail.put("severity", severity);
        detail.put("evidence", request.evidence());
        repository.append(incident.id(), now, TimelineTypes.OPENED, actor(request.actor()), detail);
        events.publishEvent(new IncidentOpened(
                incident.id(),
                incident.endpoint(),
                incident.category(),
                incident.subcategory(),
                incident.tier(),
                incident.environment(),
                severity,
                incident.reason(),
                request.source()));
        log.info(
                "Opened incident {} ({}/{}, {}) for endpoint {} from {}: {}",
                incident.id(),
                incident.category(),
                incident.subcategory(),
                severity.level(),
                incident.endpoint(),
                request.source(),
                incident.reason());
        return new Opening(incident, false);
    }

    /**
     * The insert runs under a savepoint: when another node opened the same endpoint and category
     * first, the unique {@code open_key} refuses ours, and only the savepoint is rolled back
     * (PostgreSQL would otherwise abort the whole transaction).
     */
    private boolean insertUnlessAnotherIsOpen(Incident incident, String openKey) {
        try {
            savepoint.executeWithoutResult(status -> repository.insert(incident, openKey));
            return true;
        } catch (DuplicateKeyException raced) {
            return false;
        }
    }

    private Opening repeated(Incident open, OpenIncident request) {
        Instant now = clock.instant();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", request.reason());
        detail.put("source", request.source());
        detail.put("evidence", request.evidence());
        repository.append(open.id(), now, TimelineTypes.REPEATED, actor(request.actor()), detail);
        repository.touch(open.id(), now);
        log.info(
                "Incident {} already open for endpoint {} and {}; recorded the repeat from {}",
                open.id(),
                open.endpoint(),
                open.category(),
                request.source());
        return new Opening(repository.findById(open.id()).orElseThrow(), true);
    }

    /** Appends evidence to an incident's timeline as CertLoop itself (runbook delegates call this). */
    @Transactional
    public void record(String incidentId, String type, Map<String, ?> detail) {
        record(incidentId, type, SYSTEM_ACTOR, detail);
    }

    /** Appends evidence to an incident's timeline on behalf of {@code actor}. */
    @Transactional
    public void record(String incidentId, String type, String actor, Map<String, ?> detail) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a timeline entry needs a type");
        }
        get(incidentId);
        Instant now = clock.instant();
        repository.append(incidentId, now, type, actor(actor), detail);
        repository.touch(incidentId, now);
    }

    /** Links the runbook's process instance; the runbook calls it from its start listener. */
    @Transactional
    public void attachProcess(String incidentId, String processInstanceId) {
        Incident incident = locked(incidentId);
        if (processInstanceId.equals(incident.processInstanceId())) {
            return;
        }
        Instant now = clock.instant();
        repository.attachProcess(incidentId, processInstanceId, now);
        // CertLoop's own wiring, whoever's request started the runbook
        repository.append(
                incidentId,
                now,
                TimelineTypes.PROCESS_ATTACHED,
                SYSTEM_ACTOR,
                Map.of("processInstanceId", processInstanceId));
    }

    /**
     * The live endpoint is verified fixed. Idempotent (a retried job may call it twice); a new
     * alert for the same endpoint and category opens a new incident from now on.
     *
     * @throws ConflictException when the incident is already closed
     */
    @Transactional
    public Incident resolve(String incidentId, String summary) {
        return resolve(incidentId, SYSTEM_ACTOR, summary);
    }

    /** As {@link #resolve(String, String)}, recorded under {@code actor} (the person whose word resolves it). */
    @Transactional
    public Incident resolve(String incidentId, String actor, String summary) {
        Incident incident = locked(incidentId);
        if (incident.state() == IncidentState.RESOLVED) {
            return incident;
        }
        if (incident.state() == IncidentState.CLOSED) {
            throw new ConflictException("incident " + incidentId + " is already closed");
        }
        Instant now = clock.instant();
        repository.resolve(incidentId, summary, now);
        repository.append(incidentId, now, TimelineTypes.RESOLVED, actor(actor), summaryDetail(summary));
        log.info("Resolved incident {} for endpoint {}: {}", incidentId, incident.endpoint(), summary);
        return get(incidentId);
    }

    /**
     * An incident commander resolves an open incident by hand, with a reason. Recorded under their name,
     * and announced with {@link IncidentResolvedByCommander} in this transaction so its runbook moves on
     * to the review.
     *
     * @throws ConflictException when the incident is not open
     */
    @Transactional
    public Incident resolveByCommander(String incidentId, String actor, String reason) {
        Incident incident = locked(incidentId);
        if (!incident.isOpen()) {
            throw new ConflictException(
                    "incident " + incidentId + " is " + incident.state().value() + ", not open");
        }
        Instant now = clock.instant();
        String summary = "resolved by " + actor + ": " + reason;
        repository.resolve(incidentId, summary, now);
        repository.append(incidentId, now, TimelineTypes.RESOLVED, actor(actor), byCommander(reason));
        events.publishEvent(new IncidentResolvedByCommander(incidentId, actor, reason));
        log.info("Incident {} for endpoint {} resolved by {}: {}", incidentId, incident.endpoint(), actor, reason);
        return get(incidentId);
    }

    /**
     * An incident commander closes an incident that is not closed yet, with a reason. Recorded under their
     * name and announced with {@link IncidentClosedByCommander} in this transaction so its runbook ends.
     *
     * @throws ConflictException when the incident is already closed
     */
    @Transactional
    public Incident closeByCommander(String incidentId, String actor, String reason) {
        Incident incident = locked(incidentId);
        if (incident.state() == IncidentState.CLOSED) {
            throw new ConflictException("incident " + incidentId + " is already closed");
        }
        refuseWhileGuarded(incidentId);
        Instant now = clock.instant();
        repository.close(incidentId, "closed by " + actor + ": " + reason, now);
        repository.append(incidentId, now, TimelineTypes.CLOSED, actor(actor), byCommander(reason));
        events.publishEvent(new IncidentClosedByCommander(incidentId, actor, reason));
        log.info("Incident {} for endpoint {} closed by {}: {}", incidentId, incident.endpoint(), actor, reason);
        return get(incidentId);
    }

    /**
     * Closes an incident after its review (or as not a certificate incident). Idempotent.
     *
     * @throws ConflictException when a {@link CloseGuard} says it may not close yet (an unreviewed break-glass)
     */
    @Transactional
    public Incident close(String incidentId, String actor, String summary) {
        Incident incident = locked(incidentId);
        if (incident.state() == IncidentState.CLOSED) {
            return incident;
        }
        refuseWhileGuarded(incidentId);
        Instant now = clock.instant();
        repository.close(incidentId, summary, now);
        repository.append(incidentId, now, TimelineTypes.CLOSED, actor(actor), summaryDetail(summary));
        log.info("Closed incident {} for endpoint {}: {}", incidentId, incident.endpoint(), summary);
        return get(incidentId);
    }

    /**
     * Locks the incident's row until the caller's transaction ends and answers whether it is still open: nodes
     * starting together queue on the row, so only the first starts a missing runbook and the next sees it running.
     */
    @Transactional
    public boolean lockIfOpen(String incidentId) {
        return repository.lock(incidentId).map(Incident::isOpen).orElse(false);
    }

    public Optional<Incident> findOpen(String endpoint, String category) {
        return repository.findOpen(endpoint, category);
    }

    /**
     * The incident for this endpoint and category resolved most recently at or after {@code since}, open or not
     * any more; intake attaches a finding that comes back soon after a fix to it.
     */
    public Optional<Incident> latestResolvedSince(String endpoint, String category, Instant since) {
        return repository.latestResolvedSince(endpoint, category, since);
    }

    public Optional<Incident> find(String incidentId) {
        return repository.findById(incidentId);
    }

    public Incident get(String incidentId) {
        return find(incidentId).orElseThrow(() -> new NotFoundException("No incident " + incidentId));
    }

    /** Newest first; either filter may be null. */
    public List<Incident> list(IncidentState state, String endpoint) {
        return repository.list(state, endpoint);
    }

    /** Newest first: {@link Page#fetch()} incidents after the page's offset; either filter may be null. */
    public List<Incident> list(IncidentState state, String endpoint, Page page) {
        return repository.list(state, endpoint, page.offset(), page.fetch());
    }

    public List<TimelineEntry> timeline(String incidentId) {
        get(incidentId);
        return repository.timeline(incidentId);
    }

    private Incident locked(String incidentId) {
        return repository.lock(incidentId).orElseThrow(() -> new NotFoundException("No incident " + incidentId));
    }

    private static Map<String, Object> byCommander(String reason) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", reason);
        detail.put("by", "incident commander");
        return detail;
    }

    private static Map<String, Object> summaryDetail(String summary) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("summary", summary);
        return detail;
    }

    /**
     * Who an entry names: a person named by the caller wins; otherwise the person on whose behalf
     * this thread acts (API caller, user completing a task); otherwise CertLoop itself. Writers need
     * not pass the person: it is resolved here, where every entry is written.
     */
    private String actor(String actor) {
        if (actor != null && !actor.isBlank() && !SYSTEM_ACTOR.equals(actor)) {
            return actor;
        }
        return currentUser.userId().orElse(SYSTEM_ACTOR);
    }

    /** A {@link CloseGuard} (an unreviewed break-glass) keeps an incident from closing, by any path. */
    private void refuseWhileGuarded(String incidentId) {
        closeBlockedBecause(incidentId).ifPresent(reason -> {
            throw new ConflictException("incident " + incidentId + " cannot close yet: " + reason);
        });
    }

    /**
     * Why the incident may not close yet (the first {@link CloseGuard} that objects), so a runbook can wait
     * instead of failing at its close step; empty when it may close.
     */
    public Optional<String> closeBlockedBecause(String incidentId) {
        for (CloseGuard guard : closeGuards) {
            Optional<String> reason = guard.closeBlockedBecause(incidentId);
            if (reason.isPresent()) {
                return reason;
            }
        }
        return Optional.empty();
    }
}
