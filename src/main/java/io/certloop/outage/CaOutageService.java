package io.certloop.outage;

import io.certloop.incident.Incident;
import io.certloop.incident.IncidentService;
import io.certloop.incident.OpenIncident;
import io.certloop.incident.Opening;
import io.certloop.incident.Taxonomy;
import io.certloop.incident.TimelineTypes;
import io.certloop.inventory.InventoryService;
import io.certloop.issuance.CertificateIssuer;
import io.certloop.issuance.IssuanceException;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.Issuers;
import io.certloop.issuance.ca.InternalCaIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issuers that keep failing. A runbook whose issuance failed because the CA did not answer tells this service;
 * after {@code certloop.issuance.outage.failure-threshold} consecutive failures of one issuer, one
 * {@code ca-outage} incident opens for that issuer (whichever endpoints failed), and every runbook that fails on
 * it from then on is linked to it (on both timelines) and waits. The outage runbook asks the issuer again on its
 * own timer ({@link #answers}); when it answers, {@link #recovered} resolves the outage and names the runbooks
 * to resume. A fallback issuer is used only where configuration names one for the profile, and only after an
 * approver decided so ({@link #approvedFallbackFor}). Knows nothing about the process engine.
 */
@Service
public class CaOutageService {

    private static final Logger log = LoggerFactory.getLogger(CaOutageService.class);

    private final CaOutageRepository repository;
    private final IncidentService incidents;
    private final InventoryService inventory;
    private final Issuers issuers;
    private final IssuanceProperties properties;
    private final List<CertificateIssuer> known;
    private final Clock clock;

    CaOutageService(
            CaOutageRepository repository,
            IncidentService incidents,
            InventoryService inventory,
            Issuers issuers,
            IssuanceProperties properties,
            List<CertificateIssuer> known,
            Clock clock) {
        this.repository = repository;
        this.incidents = incidents;
        this.inventory = inventory;
        this.issuers = issuers;
        this.properties = properties;
        this.known = List.copyOf(known);
        this.clock = clock;
    }

    /** What a runbook does after its issuer failed: wait on the named outage, or retry after a while. */
    public record FailureOutcome(
            String issuer,
            int consecutiveFailures,
            String outageIncidentId,
            Duration retryAfter,
            boolean fallbackAvailable) {

        public boolean waitOnOutage() {
            return outageIncidentId != null;
        }
    }

    /** What a recovery resumes. */
    public record Recovery(String issuer, List<String> waitingIncidents) {}

    /** One health row per issuer CertLoop knows, so failures always lock an existing row. */
    @EventListener(ApplicationReadyEvent.class)
    void registerIssuers() {
        known.forEach(issuer -> repository.ensureIssuer(issuer.replacementPath()));
    }

    /**
     * The issuance of {@code incidentId} through {@code issuer} failed. A refusal ({@code unavailable} false: the
     * CA answered and said no) is not an outage and counts nothing. Otherwise the failure is counted; with an
     * outage open for the issuer, or once the count reaches the threshold (which opens one), the incident is
     * linked to that outage.
     */
    @Transactional
    public FailureOutcome issuanceFailed(
            String incidentId, String issuer, String reason, boolean unavailable, Instant retryAfterHint) {
        Instant now = clock.instant();
        Incident waiting = incidents.get(incidentId);
        boolean fallback = fallbackFor(waiting.endpoint(), issuer).isPresent();
        Duration retryAfter = retryAfter(retryAfterHint, now);
        if (!unavailable) {
            return new FailureOutcome(issuer, 0, null, retryAfter, fallback);
        }
        repository.ensureIssuer(issuer);
        CaOutageRepository.Health health = repository.lock(issuer).orElseThrow();
        int failures = health.consecutiveFailures() + 1;
        repository.failed(issuer, failures, reason, now);
        String outageId = health.outageIncidentId();
        if (outageId != null && !incidents.find(outageId).map(Incident::isOpen).orElse(false)) {
            // a commander resolved or closed it by hand while the issuer still failed: a fresh outage may open
            repository.outageEnded(issuer, outageId, now);
            outageId = null;
        }
        if (outageId == null && failures >= properties.outage().failureThreshold()) {
            outageId = open(issuer, waiting, failures, reason, now);
        }
        if (outageId == null) {
            log.info(
                    "Issuer {} failed for incident {} ({} consecutive failure(s), threshold {}): {}",
                    issuer,
                    incidentId,
                    failures,
                    properties.outage().failureThreshold(),
                    reason);
            return new FailureOutcome(issuer, failures, null, retryAfter, fallback);
        }
        link(outageId, issuer, waiting, now);
        return new FailureOutcome(issuer, failures, outageId, retryAfter, fallback);
    }

    private String open(String issuer, Incident waiting, int failures, String reason, Instant now) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("issuer", issuer);
        evidence.put("consecutiveFailures", failures);
        evidence.put("lastFailure", reason);
        evidence.put("trippedBy", waiting.id());
        Opening opening = incidents.openForIssuer(
                issuer,
                new OpenIncident(
                        waiting.endpoint(),
                        Taxonomy.CA_OUTAGE,
                        InternalCaIssuer.PATH.equals(issuer) ? Taxonomy.INTERNAL_CA_DOWN : Taxonomy.PUBLIC_CA_DOWN,
                        "issuer " + issuer + " failed " + failures + " consecutive issuance(s); last: " + reason,
                        "issuer-health",
                        IncidentService.SYSTEM_ACTOR,
                        evidence));
        String id = opening.incident().id();
        if (repository.outage(id).isEmpty()) {
            repository.insertOutage(id, issuer, now);
        }
        repository.pointTo(issuer, id);
        log.warn("Issuer {} is down after {} consecutive failures: ca-outage incident {}", issuer, failures, id);
        return id;
    }

    private void link(String outageId, String issuer, Incident waiting, Instant now) {
        if (!repository.link(outageId, waiting.id(), waiting.endpoint(), now)) {
            return;
        }
        Map<String, Object> onWaiting = new LinkedHashMap<>();
        onWaiting.put("outageIncident", outageId);
        onWaiting.put("issuer", issuer);
        onWaiting.put("detail", "the runbook waits until the issuer answers again (or an approver allows a fallback)");
        incidents.record(waiting.id(), TimelineTypes.WAITING_ON_CA_OUTAGE, onWaiting);
        Map<String, Object> onOutage = new LinkedHashMap<>();
        onOutage.put("incident", waiting.id());
        onOutage.put("endpoint", waiting.endpoint());
        onOutage.put("category", waiting.category());
        incidents.record(outageId, TimelineTypes.RUNBOOK_WAITING, onOutage);
    }

    /** The issuer answered (issued, or accepted an order): its failures are forgotten. */
    @Transactional
    public void issuanceSucceeded(String issuer) {
        repository.succeeded(issuer, clock.instant());
    }

    /** The issuer a ca-outage incident is about; empty for one opened by hand. */
    public Optional<String> issuerOf(String outageIncidentId) {
        return repository.outage(outageIncidentId).map(CaOutageRepository.Outage::issuer);
    }

    /** Does configuration name a fallback for any profile whose own issuer could be this one? */
    public boolean fallbackConfigured(String issuer) {
        return properties.profiles().values().stream()
                .map(IssuanceProperties.Profile::fallbackIssuer)
                .anyMatch(fallback -> fallback != null && !fallback.equals(issuer));
    }

    /** One bounded question to the issuer of the outage: does it answer now? */
    public boolean answers(String outageIncidentId) {
        String issuer = issuerOf(outageIncidentId).orElse(null);
        if (issuer == null) {
            return false;
        }
        Optional<CertificateIssuer> found = issuers.find(issuer);
        if (found.isEmpty()) {
            log.warn("ca-outage {}: no issuer {} is configured any more", outageIncidentId, issuer);
            return false;
        }
        try {
            found.get().checkAvailable();
            return true;
        } catch (IssuanceException e) {
            log.info("ca-outage {}: issuer {} still does not answer: {}", outageIncidentId, issuer, e.getMessage());
            return false;
        }
    }

    /**
     * The issuer answers again: the outage is resolved (recorded on its timeline with the runbooks it held) and
     * every runbook that waited on it is told on its own timeline. Returns what to resume.
     */
    @Transactional
    public Recovery recovered(String outageIncidentId) {
        Instant now = clock.instant();
        String issuer = issuerOf(outageIncidentId)
                .orElseThrow(() -> new IllegalStateException(
                        "incident " + outageIncidentId + " is not a ca-outage CertLoop opened for an issuer"));
        repository.lock(issuer);
        List<CaOutageRepository.Waiter> waiters = repository.waiters(outageIncidentId).stream()
                .filter(w -> w.resumedAt() == null)
                .toList();
        repository.outageEnded(issuer, outageIncidentId, now);
        repository.resumed(outageIncidentId, now);
        List<String> waiting = waiters.stream()
                .map(CaOutageRepository.Waiter::waitingIncidentId)
                .toList();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("issuer", issuer);
        detail.put("waitingIncidents", waiting);
        incidents.record(outageIncidentId, TimelineTypes.ISSUER_RECOVERED, detail);
        for (String incident : waiting) {
            Map<String, Object> resumed = new LinkedHashMap<>();
            resumed.put("outageIncident", outageIncidentId);
            resumed.put("issuer", issuer);
            incidents.record(incident, TimelineTypes.RUNBOOKS_RESUMED, resumed);
        }
        if (incidents.get(outageIncidentId).isOpen()) {
            incidents.resolve(
                    outageIncidentId,
                    "issuer " + issuer + " answers again; " + waiting.size() + " waiting runbook(s) resumed");
        }
        log.info("Issuer {} answers again: ca-outage {} resolved, resuming {}", issuer, outageIncidentId, waiting);
        return new Recovery(issuer, waiting);
    }

    /**
     * A person resolved or closed the outage (the commander's API): the issuer's record no longer points at it, and
     * the runbooks still waiting on it are named so they are released (they try the issuer again; failing, they
     * count towards a fresh outage). Empty for an incident that is no issuer's outage.
     */
    @Transactional
    public Optional<Recovery> endedByPerson(String outageIncidentId) {
        Optional<String> issuer = issuerOf(outageIncidentId);
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        repository.lock(issuer.get());
        List<String> waiting = repository.waiters(outageIncidentId).stream()
                .filter(w -> w.resumedAt() == null)
                .map(CaOutageRepository.Waiter::waitingIncidentId)
                .toList();
        repository.outageEnded(issuer.get(), outageIncidentId, now);
        repository.resumed(outageIncidentId, now);
        for (String incident : waiting) {
            incidents.record(
                    incident,
                    TimelineTypes.RUNBOOKS_RESUMED,
                    Map.of(
                            "outageIncident",
                            outageIncidentId,
                            "issuer",
                            issuer.get(),
                            "by",
                            "a person ended the outage"));
        }
        return Optional.of(new Recovery(issuer.get(), waiting));
    }

    /** The incidents that wait or waited on the outage. */
    public List<String> waitingOn(String outageIncidentId) {
        return repository.waiters(outageIncidentId).stream()
                .map(CaOutageRepository.Waiter::waitingIncidentId)
                .toList();
    }

    /** An incident commander asks to use the configured fallback issuers for the runbooks held by this outage. */
    @Transactional
    public void fallbackRequested(String outageIncidentId, String by) {
        repository.fallbackRequested(outageIncidentId, by);
        incidents.record(
                outageIncidentId,
                TimelineTypes.FALLBACK_REQUESTED,
                by,
                Map.of("issuer", issuerOf(outageIncidentId).orElse("?")));
    }

    /** An approver decided; only an approval lets {@link #approvedFallbackFor} name a fallback. */
    @Transactional
    public void fallbackDecided(String outageIncidentId, String by, boolean approved, String comment) {
        if (approved) {
            repository.fallbackApproved(outageIncidentId, by, clock.instant());
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("approved", approved);
        detail.put("comment", comment == null ? "" : comment);
        incidents.record(outageIncidentId, TimelineTypes.FALLBACK_DECIDED, by, detail);
    }

    /** Who asked for the fallback decided in this process instance (four eyes); empty when nobody asked. */
    public Optional<String> fallbackRequesterOfProcess(String processInstanceId) {
        return repository.fallbackRequesterOfProcess(processInstanceId);
    }

    /**
     * The issuer a (re)started issuance of this incident goes through instead of its own: the fallback
     * configuration names for the endpoint's profile, only while the outage it waits on is not over and only when
     * an approver approved it. Empty otherwise (the endpoint's own replacement path).
     */
    public Optional<String> approvedFallbackFor(String incidentId) {
        Optional<CaOutageRepository.Outage> outage = repository.outageWaitedOnBy(incidentId);
        if (outage.isEmpty()
                || outage.get().recoveredAt() != null
                || outage.get().fallbackApprovedBy() == null) {
            return Optional.empty();
        }
        return fallbackFor(incidents.get(incidentId).endpoint(), outage.get().issuer());
    }

    private Optional<String> fallbackFor(String endpoint, String issuer) {
        return inventory
                .findByName(endpoint)
                .flatMap(e -> properties.fallbackIssuer(e.profile()))
                .filter(fallback -> !fallback.equals(issuer));
    }

    /** How often the outage runbook asks the issuer again. */
    public Duration healthCheckInterval() {
        return properties.outage().healthCheckInterval();
    }

    private Duration retryAfter(Instant hint, Instant now) {
        Duration configured = properties.outage().retryAfter();
        if (hint == null || !hint.isAfter(now)) {
            return configured;
        }
        Duration asked = Duration.between(now, hint);
        return asked.compareTo(configured) > 0 ? asked : configured;
    }
}
