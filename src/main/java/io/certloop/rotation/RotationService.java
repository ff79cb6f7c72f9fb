package io.certloop.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.detection.EndpointProbeService;
import io.certloop.detection.LastProbe;
import io.certloop.incident.IncidentService;
import io.certloop.incident.OpenIncident;
import io.certloop.incident.Opening;
import io.certloop.incident.Taxonomy;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.Environment;
import io.certloop.inventory.InventoryService;
import io.certloop.inventory.ReplacementPath;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.IssuanceException;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.remediation.Confirmation;
import io.certloop.remediation.RemediationException;
import io.certloop.remediation.RemediationService;
import io.certloop.remediation.ReplacementEvidence;
import io.certloop.system.Concurrently;
import io.certloop.system.ConflictException;
import io.certloop.system.FieldError;
import io.certloop.system.Fingerprints;
import io.certloop.system.ForbiddenException;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.NotFoundException;
import io.certloop.system.Pem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Mass rotations. A request is validated (the selector must match), planned into waves (a canary wave 0 of the
 * least critical endpoints first) and stored with its endpoints and announced with {@link RotationRequested} in one
 * transaction (its runbook starts with it). The runbook then asks, wave after wave, which endpoints to rotate, rotates
 * each through {@link #rotate} and asks whether the wave halts the rotation. The record decides everything: a
 * verified endpoint is never rotated again, a paused rotation starts no endpoint, the requester never approves.
 */
@Service
public class RotationService {

    /** The actor CertLoop writes under when no person is behind a change. */
    public static final String SYSTEM_ACTOR = "certloop";
    /** Break-glass certificates come from their own runbook, never from a rotation. */
    static final String EMERGENCY_PROFILE = "emergency";

    private static final Logger log = LoggerFactory.getLogger(RotationService.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final RotationRepository repository;
    private final InventoryService inventory;
    private final EndpointProbeService probes;
    private final IssuedCertificateStore certificates;
    private final IssuanceProperties issuance;
    private final RemediationService remediation;
    private final IncidentService incidents;
    private final RotationProperties properties;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate separate;
    private final RotationWorkers workers;

    RotationService(
            RotationRepository repository,
            InventoryService inventory,
            EndpointProbeService probes,
            IssuedCertificateStore certificates,
            IssuanceProperties issuance,
            RemediationService remediation,
            IncidentService incidents,
            RotationProperties properties,
            ApplicationEventPublisher events,
            ObjectMapper json,
            Clock clock,
            PlatformTransactionManager transactions,
            RotationWorkers workers) {
        this.workers = workers;
        this.repository = repository;
        this.inventory = inventory;
        this.probes = probes;
        this.certificates = certificates;
        this.issuance = issuance;
        this.remediation = remediation;
        this.incidents = incidents;
        this.properties = properties;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Which endpoints: every criterion given must hold (AND). {@code issuer} is the issuing CA's subject or its
     * certificate's SHA-256, {@code spkiSha256} the SHA-256 of the leaf's public key, both as last probed.
     */
    public record Selector(
            List<String> endpoints,
            String issuer,
            String spkiSha256,
            String profile,
            String replacementPath,
            Integer tier) {

        boolean empty() {
            return (endpoints == null || endpoints.isEmpty())
                    && blank(issuer)
                    && blank(spkiSha256)
                    && blank(profile)
                    && blank(replacementPath)
                    && tier == null;
        }
    }

    /** What a requester asks for; null wave size, failure rate and profile take the defaults. */
    public record Request(Selector selector, String reason, Integer waveSize, Double maxFailureRate, String profile) {}

    /** A rotation with its endpoints, counted per state, and its timeline. */
    public record Progress(
            Rotation rotation,
            Map<EndpointState, Long> counts,
            List<RotationEndpoint> endpoints,
            List<RotationEvent> timeline) {}

    /** What the runbook does next: rotate {@code endpoints} of {@code wave}, wait (paused), or finish. */
    public record WavePlan(Step step, int wave, List<String> endpoints) {

        public enum Step {
            ROTATE,
            PAUSED,
            DONE
        }
    }

    /** A commander's answer to a halted wave. */
    public enum HaltDecision {
        CONTINUE,
        RETRY,
        ABORT;

        public static Optional<HaltDecision> parse(String value) {
            if (value == null) {
                return Optional.empty();
            }
            for (HaltDecision d : values()) {
                if (d.name().equalsIgnoreCase(value.strip())) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Stores the rotation and its endpoints, wave by wave, and starts its runbook. Every problem names its field
     * ({@code selector.tier}, {@code waveSize}, ...) and nothing is written.
     */
    @Transactional
    public Rotation request(Request request, String requestedBy) {
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        if (blank(request.reason())) {
            errors.add(new FieldError("reason", "is required"));
        }
        int waveSize = request.waveSize() == null ? properties.defaultWaveSize() : request.waveSize();
        if (waveSize < 1) {
            errors.add(new FieldError("waveSize", "must be at least 1"));
        }
        double maxFailureRate =
                request.maxFailureRate() == null ? properties.defaultMaxFailureRate() : request.maxFailureRate();
        if (Double.isNaN(maxFailureRate) || maxFailureRate < 0 || maxFailureRate > 1) {
            errors.add(new FieldError("maxFailureRate", "must be between 0 and 1 (a fraction of a wave)"));
        }
        String profile = blank(request.profile()) ? null : request.profile().strip();
        if (profile != null) {
            if (EMERGENCY_PROFILE.equals(profile)) {
                errors.add(new FieldError("profile", "the emergency profile is only for break-glass"));
            } else if (!issuance.profiles().containsKey(profile)) {
                errors.add(new FieldError(
                        "profile",
                        "unknown issuance profile " + profile + "; configured: "
                                + issuance.profiles().keySet().stream().sorted().toList()));
            }
        }
        List<Endpoint> selected = List.of();
        if (request.selector() == null || request.selector().empty()) {
            errors.add(new FieldError(
                    "selector", "is required: name endpoints, issuer, spkiSha256, profile, replacementPath or tier"));
        } else {
            selected = select(request.selector(), errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        List<List<String>> waves = waves(selected, waveSize);
        Rotation rotation = new Rotation(
                repository.nextId(now.atZone(ZoneOffset.UTC).getYear()),
                request.reason().strip(),
                write(request.selector()),
                profile,
                waveSize,
                waves.get(0).size(),
                maxFailureRate,
                waves.size(),
                selected.size() > properties.approvalThreshold()
                        ? RotationState.AWAITING_APPROVAL
                        : RotationState.RUNNING,
                selected.size() > properties.approvalThreshold(),
                requestedBy,
                now,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                now);
        repository.insert(rotation);
        repository.insertEndpoints(rotation.id(), waves);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", rotation.reason());
        detail.put("selector", request.selector());
        detail.put("endpoints", selected.size());
        detail.put("waves", waves.size());
        detail.put("waveSize", waveSize);
        detail.put("canarySize", rotation.canarySize());
        detail.put("maxFailureRate", maxFailureRate);
        detail.put("profile", profile);
        detail.put("approvalRequired", rotation.approvalRequired());
        repository.append(rotation.id(), now, RotationEventTypes.REQUESTED, requestedBy, detail);
        events.publishEvent(new RotationRequested(rotation));
        log.info(
                "Rotation {} requested by {}: {} endpoint(s) in {} wave(s){}",
                rotation.id(),
                requestedBy,
                selected.size(),
                waves.size(),
                rotation.approvalRequired() ? ", waiting for approval" : "");
        return repository.findById(rotation.id()).orElseThrow();
    }

    /** The inventory endpoints every given criterion holds for; adds a field error when none or a criterion is bad. */
    private List<Endpoint> select(Selector selector, List<FieldError> errors) {
        List<Endpoint> all = inventory.list();
        List<Endpoint> candidates = new ArrayList<>(all);
        int before = errors.size();
        if (selector.endpoints() != null && !selector.endpoints().isEmpty()) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < selector.endpoints().size(); i++) {
                String name = selector.endpoints().get(i);
                if (blank(name)) {
                    errors.add(new FieldError("selector.endpoints[" + i + "]", "is blank"));
                } else if (all.stream().noneMatch(e -> e.name().equals(name.strip()))) {
                    errors.add(new FieldError(
                            "selector.endpoints[" + i + "]", "no inventory endpoint named " + name.strip()));
                } else {
                    names.add(name.strip());
                }
            }
            candidates.removeIf(e -> !names.contains(e.name()));
        }
        if (!blank(selector.profile())) {
            candidates.removeIf(e -> !selector.profile().strip().equals(e.profile()));
        }
        if (!blank(selector.replacementPath())) {
            Optional<ReplacementPath> path =
                    ReplacementPath.parse(selector.replacementPath().strip());
            if (path.isEmpty()) {
                errors.add(new FieldError(
                        "selector.replacementPath",
                        "not a replacement path: " + selector.replacementPath() + "; allowed: acme, internal-ca,"
                                + " admin-mediated, manual"));
            } else {
                candidates.removeIf(e -> e.replacementPath() != path.get());
            }
        }
        if (selector.tier() != null) {
            if (selector.tier() < 0 || selector.tier() > 3) {
                errors.add(new FieldError("selector.tier", "must be 0, 1, 2 or 3"));
            } else {
                candidates.removeIf(e -> e.tier() != selector.tier());
            }
        }
        if (!blank(selector.spkiSha256())) {
            String spki = hex(selector.spkiSha256());
            if (!SHA256.matcher(spki).matches()) {
                errors.add(new FieldError("selector.spkiSha256", "not a SHA-256 in hex (64 digits)"));
            } else {
                candidates.removeIf(e -> !spki.equals(spkiOf(e)));
            }
        }
        if (!blank(selector.issuer())) {
            String issuer = selector.issuer().strip();
            String asSha = hex(issuer);
            candidates.removeIf(e -> {
                LastProbe last = probes.lastProbe(e.id()).orElse(null);
                return last == null
                        || !(issuer.equalsIgnoreCase(Objects.toString(last.issuerSubject(), ""))
                                || (SHA256.matcher(asSha).matches() && asSha.equals(last.issuerSha256())));
            });
        }
        if (errors.size() == before && candidates.isEmpty()) {
            errors.add(new FieldError(
                    "selector",
                    "matches no inventory endpoint (" + all.size() + " in the inventory; issuer and spkiSha256"
                            + " are compared with what each endpoint presented at its last probe)"));
        }
        return candidates;
    }

    /** The SHA-256 of the public key of the certificate the endpoint presented last (or is expected to). */
    private String spkiOf(Endpoint endpoint) {
        String leaf = probes.lastProbe(endpoint.id()).map(LastProbe::leafSha256).orElse(endpoint.expectedSha256());
        if (leaf == null) {
            return null;
        }
        return certificates
                .findBySha256(leaf)
                .map(issued -> Fingerprints.spkiSha256Hex(Pem.parseCertificate(issued.leafPem())))
                .orElse(null);
    }

    /**
     * Wave 0 is the canary: the least critical endpoints (non-production before production, tier 3 before tier 0).
     * The rest follow in the same order, {@code waveSize} at a time.
     */
    List<List<String>> waves(List<Endpoint> endpoints, int waveSize) {
        List<String> ordered = endpoints.stream()
                .sorted(Comparator.comparing((Endpoint e) -> e.environment() == Environment.PRODUCTION)
                        .thenComparing(Comparator.comparingInt(Endpoint::tier).reversed())
                        .thenComparing(Endpoint::name))
                .map(Endpoint::name)
                .toList();
        List<List<String>> waves = new ArrayList<>();
        int canary = Math.max(1, Math.min(properties.canarySize(), ordered.size()));
        waves.add(ordered.subList(0, canary));
        for (int from = canary; from < ordered.size(); from += waveSize) {
            waves.add(ordered.subList(from, Math.min(ordered.size(), from + waveSize)));
        }
        return waves;
    }

    public Rotation get(String id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("no rotation " + id));
    }

    public List<Rotation> list() {
        return repository.list();
    }

    public Progress progress(String id) {
        Rotation rotation = get(id);
        return new Progress(rotation, repository.counts(id), repository.endpoints(id), repository.timeline(id));
    }

    /** How many endpoints the rotation covers. */
    public int endpointCount(String id) {
        return (int) repository.counts(id).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Endpoints per state over every rotation still going (for the metrics). */
    Map<EndpointState, Long> countsOfUnfinished() {
        return repository.countsOfUnfinished();
    }

    public void attachProcess(String id, String processInstanceId) {
        repository.attachProcess(id, processInstanceId, clock.instant());
    }

    /** Who asked for the rotation this process instance runs; empty when no rotation names it. */
    public Optional<String> requesterOf(String processInstanceId) {
        return repository.findByProcessInstance(processInstanceId).map(Rotation::requestedBy);
    }

    /**
     * An approver's decision on a rotation over the approval threshold, recorded as {@code decidedBy}.
     *
     * @throws ForbiddenException four eyes: the requester cannot decide
     * @throws ConflictException  no longer awaiting approval
     */
    @Transactional
    public Rotation decide(String id, String decidedBy, boolean approve, String comment) {
        Rotation rotation = repository.lock(id).orElseThrow(() -> new NotFoundException("no rotation " + id));
        if (decidedBy == null || decidedBy.equals(rotation.requestedBy())) {
            throw new ForbiddenException(
                    "four eyes: " + rotation.requestedBy() + " requested this rotation and cannot approve it");
        }
        if (rotation.state() != RotationState.AWAITING_APPROVAL) {
            throw new ConflictException(
                    "rotation " + id + " is " + rotation.state().value() + ", not awaiting approval");
        }
        if (!approve && blank(comment)) {
            throw new InvalidRequestException("decisionComment", "a rejection needs a reason");
        }
        Instant now = clock.instant();
        RotationState state = approve ? RotationState.RUNNING : RotationState.REJECTED;
        repository.decide(id, state, decidedBy, comment, now);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("approved", approve);
        detail.put("comment", comment);
        repository.append(
                id, now, approve ? RotationEventTypes.APPROVED : RotationEventTypes.REJECTED, decidedBy, detail);
        return repository.findById(id).orElseThrow();
    }

    /**
     * The next wave to run: the lowest wave with pending endpoints, unless the rotation is paused (the runbook
     * waits), finished, aborted or rejected, or nothing is pending (the runbook finishes).
     */
    @Transactional
    public WavePlan nextWave(String id) {
        Rotation rotation = repository.lock(id).orElseThrow(() -> new NotFoundException("no rotation " + id));
        if (rotation.state() == RotationState.PAUSED) {
            return new WavePlan(
                    WavePlan.Step.PAUSED,
                    Optional.ofNullable(rotation.currentWave()).orElse(0),
                    List.of());
        }
        if (rotation.state() != RotationState.RUNNING) {
            return new WavePlan(
                    WavePlan.Step.DONE,
                    Optional.ofNullable(rotation.currentWave()).orElse(0),
                    List.of());
        }
        Optional<Integer> wave = repository.firstWaveWithPending(id);
        if (wave.isEmpty()) {
            return new WavePlan(
                    WavePlan.Step.DONE,
                    Optional.ofNullable(rotation.currentWave()).orElse(0),
                    List.of());
        }
        List<String> pending = repository.endpoints(id, wave.get()).stream()
                .filter(e -> e.state() == EndpointState.PENDING)
                .map(RotationEndpoint::endpoint)
                .toList();
        Instant now = clock.instant();
        repository.waveStarted(id, wave.get(), now);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("wave", wave.get());
        detail.put("canary", wave.get() == 0);
        detail.put("endpoints", pending.size());
        repository.append(id, now, RotationEventTypes.WAVE_STARTED, SYSTEM_ACTOR, detail);
        return new WavePlan(WavePlan.Step.ROTATE, wave.get(), pending);
    }

    /**
     * One step of a wave: its endpoints rotated together on {@code certloop.rotation.parallelism} workers. Each
     * pending endpoint starts (in-progress, committed at once) unless the rotation is no longer running (paused: no
     * pending endpoint starts) or the step has been starting endpoints for {@code certloop.rotation.wave-step}; one
     * interrupted in progress (a restart) always goes on. Starting is a fresh probe (the fingerprint before) and the
     * issuance through the endpoint's own replacement path (idempotency key {@code <rotation>:rotate:<endpoint>}: a
     * restart gets the certificate already issued). Then the files of every started endpoint are written, each
     * reload action runs once for the step, and every endpoint is verified with fresh probes
     * ({@link RemediationService#deployTogether}). Each endpoint's end (verified, or failed with its own incident)
     * commits in its own transaction as soon as it is known. Verified and failed endpoints are never touched again.
     *
     * @return true when the wave has pending endpoints left and the rotation still runs: the next step goes on
     */
    public boolean rotateWave(String id, int wave) {
        Rotation rotation = get(id);
        Instant startUntil = clock.instant().plus(properties.waveStep());
        List<RotationEndpoint> open = repository.endpoints(id, wave).stream()
                .filter(e -> e.state() == EndpointState.PENDING || e.state() == EndpointState.IN_PROGRESS)
                .toList();
        Concurrently.FirstFailure failures = new Concurrently.FirstFailure();
        List<RemediationService.Replacement> started = Concurrently.map(open, workers, row -> {
            try {
                return start(id, row, rotation, startUntil);
            } catch (RuntimeException e) {
                failures.add(e);
                return null;
            }
        });
        List<RemediationService.Replacement> replacements =
                started.stream().filter(Objects::nonNull).toList();
        if (!replacements.isEmpty()) {
            log.info(
                    "Rotation {} wave {}: {} endpoint(s) probed and issued in {} ms, deploying them together",
                    id,
                    wave,
                    replacements.size(),
                    Duration.between(startUntil.minus(properties.waveStep()), clock.instant())
                            .toMillis());
            try {
                remediation.deployTogether(replacements, workers, outcome -> ended(rotation, outcome));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        failures.rethrow();
        return get(id).state() == RotationState.RUNNING
                && repository.endpoints(id, wave).stream().anyMatch(e -> e.state() == EndpointState.PENDING);
    }

    /**
     * Starts one endpoint of the step, or not (null): in-progress committed, the fingerprint before recorded. An
     * endpoint without an automated path or deployment target fails here, to its own incident.
     */
    private RemediationService.Replacement start(
            String id, RotationEndpoint row, Rotation rotation, Instant startUntil) {
        String endpoint = row.endpoint();
        if (row.state() == EndpointState.PENDING) {
            if (clock.instant().isAfter(startUntil) || get(id).state() != RotationState.RUNNING) {
                return null;
            }
            if (!repository.begin(id, endpoint, EndpointState.PENDING, clock.instant())) {
                return null;
            }
        } else if (!repository.begin(id, endpoint, EndpointState.IN_PROGRESS, clock.instant())) {
            return null;
        }
        Confirmation before = remediation.confirm(endpoint);
        if (before.presentedSha256() != null) {
            repository.before(id, endpoint, before.presentedSha256());
        }
        if (!remediation.replaceable(endpoint)) {
            failed(
                    rotation,
                    endpoint,
                    null,
                    false,
                    "no automated replacement path or no deployment target: a person" + " replaces it");
            return null;
        }
        Instant issuing = clock.instant();
        try {
            IssuedCertificate issued =
                    remediation.issueForReplacement(endpoint, keyOf(id, endpoint), rotation.profile());
            return new RemediationService.Replacement(
                    endpoint, keyOf(id, endpoint), issued, Duration.between(issuing, clock.instant()));
        } catch (CaUnavailableException e) {
            failed(rotation, endpoint, null, true, "the CA is unavailable: " + e.getMessage());
        } catch (IssuanceException | RemediationException e) {
            failed(rotation, endpoint, null, false, e.getMessage());
        }
        return null;
    }

    /** An endpoint's outcome, committed in its own transaction as soon as it is known. */
    private void ended(Rotation rotation, RemediationService.ReplacementOutcome outcome) {
        String endpoint = outcome.replacement().endpoint();
        ReplacementEvidence evidence = outcome.evidence();
        if (outcome.refused() != null) {
            failed(
                    rotation,
                    endpoint,
                    outcome.replacement().issued().sha256(),
                    false,
                    outcome.refused().getMessage());
        } else if (evidence.succeeded()) {
            separate.executeWithoutResult(status -> {
                Instant now = clock.instant();
                String after = evidence.verification().presentedSha256();
                Map<String, Object> detail = endpointDetail(rotation.id(), endpoint);
                repository.finish(rotation.id(), endpoint, EndpointState.VERIFIED, after, null, null, now);
                detail.put("sha256After", after);
                detail.put("verification", evidence.verification().summary());
                repository.append(rotation.id(), now, RotationEventTypes.ENDPOINT_VERIFIED, SYSTEM_ACTOR, detail);
            });
        } else {
            failed(
                    rotation,
                    endpoint,
                    evidence.issued() == null ? null : evidence.issued().sha256(),
                    false,
                    evidence.outcome() + ": "
                            + (evidence.verification() == null
                                    ? "not verified"
                                    : evidence.verification().summary()));
        }
    }

    /** The endpoint failed: its own incident opens, its row and the timeline say so, in one transaction. */
    private void failed(Rotation rotation, String endpoint, String issued, boolean caUnavailable, String failure) {
        separate.executeWithoutResult(status -> {
            String incidentId = openIncident(rotation, endpoint, caUnavailable, issued, failure);
            Instant now = clock.instant();
            Map<String, Object> detail = endpointDetail(rotation.id(), endpoint);
            repository.finish(rotation.id(), endpoint, EndpointState.FAILED, null, truncate(failure), incidentId, now);
            detail.put("failure", truncate(failure));
            detail.put("issuedSha256", issued);
            detail.put("incident", incidentId);
            repository.append(rotation.id(), now, RotationEventTypes.ENDPOINT_FAILED, SYSTEM_ACTOR, detail);
        });
        log.warn("Rotation {}: endpoint {} failed ({})", rotation.id(), endpoint, failure);
    }

    private Map<String, Object> endpointDetail(String id, String endpoint) {
        RotationEndpoint row = repository.endpoint(id, endpoint).orElseThrow();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("endpoint", endpoint);
        detail.put("wave", row.wave());
        detail.put("sha256Before", row.sha256Before());
        return detail;
    }

    /** The idempotency key of an endpoint's replacement in a rotation: the same for every attempt. */
    static String keyOf(String id, String endpoint) {
        return id + ":rotate:" + endpoint;
    }

    /**
     * The endpoint's own incident through the normal runbook: its certificate was issued but not verified live
     * (renewed, not deployed), or the CA did not issue (CA outage).
     */
    private String openIncident(
            Rotation rotation, String endpoint, boolean caUnavailable, String issuedSha256, String failure) {
        String category = caUnavailable ? Taxonomy.CA_OUTAGE : Taxonomy.RENEWED_NOT_DEPLOYED;
        String subcategory = null;
        if (caUnavailable) {
            subcategory = inventory.get(endpoint).replacementPath() == ReplacementPath.INTERNAL_CA
                    ? "internal-ca-down"
                    : "public-ca-down";
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("rotation", rotation.id());
        evidence.put("failure", truncate(failure));
        evidence.put("issuedSha256", issuedSha256);
        Opening opening = incidents.open(new OpenIncident(
                endpoint,
                category,
                subcategory,
                "Mass rotation " + rotation.id() + " could not rotate this endpoint: " + truncate(failure),
                "rotation",
                SYSTEM_ACTOR,
                evidence));
        return opening.incident().id();
    }

    /**
     * After a wave: does its failure rate (failed over finished) exceed the rotation's maximum? The canary halts
     * on any failure. A halting wave puts the rotation in {@code halted} until a commander decides.
     */
    @Transactional
    public boolean assessWave(String id, int wave) {
        Rotation rotation = repository.lock(id).orElseThrow(() -> new NotFoundException("no rotation " + id));
        List<RotationEndpoint> endpoints = repository.endpoints(id, wave);
        long failed = endpoints.stream()
                .filter(e -> e.state() == EndpointState.FAILED)
                .count();
        long verified = endpoints.stream()
                .filter(e -> e.state() == EndpointState.VERIFIED)
                .count();
        long finished = failed + verified;
        double rate = finished == 0 ? 0 : (double) failed / finished;
        boolean halts = failed > 0 && (wave == 0 || rate > rotation.maxFailureRate());
        Instant now = clock.instant();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("wave", wave);
        detail.put("verified", verified);
        detail.put("failed", failed);
        detail.put("pending", endpoints.size() - finished);
        detail.put("failureRate", rate);
        detail.put("maxFailureRate", rotation.maxFailureRate());
        if (halts && rotation.state() == RotationState.RUNNING) {
            repository.state(id, RotationState.HALTED, now);
            repository.append(id, now, RotationEventTypes.HALTED, SYSTEM_ACTOR, detail);
            log.warn("Rotation {} halted after wave {}: {} of {} failed", id, wave, failed, finished);
            return true;
        }
        repository.append(id, now, RotationEventTypes.WAVE_FINISHED, SYSTEM_ACTOR, detail);
        return false;
    }

    /** An incident commander's answer to a halted rotation: go on, retry the failed endpoints of the wave, abort. */
    @Transactional
    public Rotation resolveHalt(String id, HaltDecision decision, String decidedBy, String comment) {
        Rotation rotation = repository.lock(id).orElseThrow(() -> new NotFoundException("no rotation " + id));
        if (rotation.state() != RotationState.HALTED) {
            throw new ConflictException(
                    "rotation " + id + " is " + rotation.state().value() + ", not halted");
        }
        Instant now = clock.instant();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("decision", decision.name().toLowerCase(Locale.ROOT));
        detail.put("comment", comment);
        detail.put("wave", rotation.currentWave());
        switch (decision) {
            case CONTINUE -> repository.state(id, RotationState.RUNNING, now);
            case RETRY -> {
                int retried = repository.retryFailed(id, rotation.currentWave() == null ? 0 : rotation.currentWave());
                detail.put("retried", retried);
                repository.state(id, RotationState.RUNNING, now);
            }
            case ABORT -> repository.state(id, RotationState.ABORTED, now);
        }
        repository.append(id, now, RotationEventTypes.HALT_DECIDED, decidedBy, detail);
        return repository.findById(id).orElseThrow();
    }

    /** Stops starting endpoints; those in progress finish. */
    @Transactional
    public Rotation pause(String id, String actor) {
        Rotation rotation = repository.lock(id).orElseThrow(() -> new NotFoundException("no rotation " + id));
        if (rotation.state() != RotationState.RUNNING) {
            throw new ConflictException("rotation " + id + " is "
                    + rotation.state().value() + ": only a running" + " rotation can be paused");
        }
        Instant now = clock.instant();
        repository.state(id, RotationState.PAUSED, now);
        repository.append(id, now, RotationEventTypes.PAUSED, actor, Map.of("wave", waveOf(rotation)));
        return repository.findById(id).orElseThrow();
    }

    /** Goes on where it stopped: the pending endpoints of the current wave first. */
    @Transactional
    public Rotation resume(String id, String actor) {
        Rotation rotation = repository.lock(id).orElseThrow(() -> new NotFoundException("no rotation " + id));
        if (rotation.state() != RotationState.PAUSED) {
            throw new ConflictException(
                    "rotation " + id + " is " + rotation.state().value() + ", not paused");
        }
        Instant now = clock.instant();
        repository.state(id, RotationState.RUNNING, now);
        repository.append(id, now, RotationEventTypes.RESUMED, actor, Map.of("wave", waveOf(rotation)));
        events.publishEvent(new RotationResumed(id, actor));
        return repository.findById(id).orElseThrow();
    }

    /** The runbook reached its end: a running rotation is completed; an aborted or rejected one stays so. */
    @Transactional
    public Rotation finish(String id) {
        Rotation rotation = repository.lock(id).orElseThrow(() -> new NotFoundException("no rotation " + id));
        Instant now = clock.instant();
        Map<EndpointState, Long> counts = repository.counts(id);
        Map<String, Object> detail = new LinkedHashMap<>();
        counts.forEach((state, n) -> detail.put(state.value(), n));
        if (rotation.state() == RotationState.RUNNING) {
            repository.state(id, RotationState.COMPLETED, now);
        } else if (!rotation.state().finished()) {
            repository.state(id, RotationState.ABORTED, now);
        }
        detail.put("state", repository.findById(id).orElseThrow().state().value());
        repository.append(id, now, RotationEventTypes.FINISHED, SYSTEM_ACTOR, detail);
        log.info("Rotation {} finished: {}", id, detail);
        return repository.findById(id).orElseThrow();
    }

    private static int waveOf(Rotation rotation) {
        return rotation.currentWave() == null ? 0 : rotation.currentWave();
    }

    private String write(Selector selector) {
        try {
            return json.writeValueAsString(selector);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the selector", e);
        }
    }

    private static String hex(String value) {
        return value.strip().replace(":", "").toLowerCase(Locale.ROOT);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000) + "…";
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
