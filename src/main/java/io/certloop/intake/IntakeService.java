package io.certloop.intake;

import io.certloop.incident.Incident;
import io.certloop.incident.IncidentService;
import io.certloop.incident.OpenIncident;
import io.certloop.incident.Opening;
import io.certloop.incident.TimelineTypes;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.system.FieldError;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Alerts and findings in, incidents out. Every source goes through the same dedupe: one open
 * incident per endpoint and category, a repeat is added to it. Targets outside the inventory are
 * never probed; they go to triage.
 */
@Service
public class IntakeService {

    static final String ENDPOINT_LABEL = "certloop_endpoint";
    static final String CATEGORY_LABEL = "certloop_category";
    static final String SUBCATEGORY_LABEL = "certloop_subcategory";
    static final String SOURCE_ALERTMANAGER = "alertmanager";
    static final String SOURCE_PROBE = "probe";

    /** An alert's fingerprint is stored to recognise its repeats (incident_alert.fingerprint). */
    static final int MAX_FINGERPRINT = 128;
    /** No inventory endpoint has a longer name. */
    static final int MAX_ENDPOINT_NAME = 128;

    private static final int MAX_ALERTNAME = 200;

    private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

    private final IncidentService incidents;
    private final InventoryService inventory;
    private final IntakeProperties properties;
    private final ApplicationEventPublisher events;
    private final AlertLinks alertLinks;
    private final Clock clock;
    private final Duration reopenGrace;

    IntakeService(
            IncidentService incidents,
            InventoryService inventory,
            IntakeProperties properties,
            ApplicationEventPublisher events,
            AlertLinks alertLinks,
            Clock clock) {
        this.incidents = incidents;
        this.inventory = inventory;
        this.properties = properties;
        this.events = events;
        this.alertLinks = alertLinks;
        this.clock = clock;
        this.reopenGrace = properties.reopenGrace();
    }

    /**
     * Handles one Alertmanager notification, all or nothing: the whole payload is validated
     * first (400 naming the field), then every alert is applied in one transaction.
     */
    @Transactional
    AlertIntakeResult fromAlertmanager(AlertmanagerPayload payload, String actor) {
        List<PlannedAlert> planned = plan(payload);
        Set<String> opened = new LinkedHashSet<>();
        Set<String> deduplicated = new LinkedHashSet<>();
        Set<String> resolved = new LinkedHashSet<>();
        Map<String, AlertIntakeResult.Triage> triage = new LinkedHashMap<>();
        List<AlertIntakeResult.Ignored> ignored = new ArrayList<>();
        for (PlannedAlert p : planned) {
            AlertmanagerPayload.Alert alert = p.alert();
            List<Endpoint> endpoints = endpointsFor(p);
            if (endpoints.isEmpty()) {
                if (!p.firing()) {
                    ignored.add(
                            ignore(alert, "resolved alert for " + p.targetText() + ", which is not in the inventory"));
                } else if (!triage.containsKey(p.targetText() + "|" + alert.alertname())) {
                    events.publishEvent(new UnknownTargetAlerted(
                            p.targetText(),
                            Text.cut(alert.alertname(), MAX_ALERTNAME),
                            summary(alert),
                            Map.copyOf(alert.labels()),
                            Map.copyOf(alert.annotations())));
                    triage.put(
                            p.targetText() + "|" + alert.alertname(),
                            new AlertIntakeResult.Triage(p.targetText(), alert.alertname()));
                    log.info(
                            "Alert {} names {}, which is not in the inventory: handed to triage, not probed",
                            alert.alertname(),
                            p.targetText());
                }
                continue;
            }
            if (p.category() == null) {
                ignored.add(ignore(
                        alert,
                        "no category: set label " + CATEGORY_LABEL
                                + " or map the alert name in certloop.intake.alertname-categories"));
                continue;
            }
            for (Endpoint endpoint : endpoints) {
                Map<String, Object> evidence = evidence(payload, alert);
                Optional<String> attached = episode(alert)
                        .flatMap(e -> alertLinks.incidentFor(e.fingerprint(), e.startsAt(), endpoint.name()));
                if (p.firing() && attached.isPresent()) {
                    // the same firing episode again (Alertmanager repeats until Prometheus sees the fix): it
                    // belongs to the incident it opened, whatever that incident's state, and never opens another
                    incidents.record(attached.get(), TimelineTypes.REPEATED, actor, evidence);
                    opened.add(attached.get());
                    deduplicated.add(attached.get());
                    log.info(
                            "Alert {} ({}) repeated for endpoint {}: recorded on incident {}",
                            alert.alertname(),
                            alert.fingerprint(),
                            endpoint.name(),
                            attached.get());
                } else if (p.firing()) {
                    Opening opening = incidents.open(new OpenIncident(
                            endpoint.name(),
                            p.category().category(),
                            p.category().subcategory(),
                            reason(alert, p),
                            SOURCE_ALERTMANAGER,
                            actor,
                            evidence));
                    opened.add(opening.incident().id());
                    if (opening.deduplicated()) {
                        deduplicated.add(opening.incident().id());
                    }
                    episode(alert)
                            .ifPresent(e -> alertLinks.attach(
                                    e.fingerprint(),
                                    e.startsAt(),
                                    endpoint.name(),
                                    opening.incident().id()));
                } else if (attached.isPresent()) {
                    incidents.record(attached.get(), TimelineTypes.ALERT_RESOLVED, actor, evidence);
                    resolved.add(attached.get());
                } else {
                    var open = incidents.findOpen(endpoint.name(), p.category().category());
                    if (open.isPresent()) {
                        incidents.record(open.get().id(), TimelineTypes.ALERT_RESOLVED, actor, evidence);
                        resolved.add(open.get().id());
                        log.info(
                                "Alert {} resolved for endpoint {}; recorded on incident {}",
                                alert.alertname(),
                                endpoint.name(),
                                open.get().id());
                    } else {
                        ignored.add(ignore(
                                alert,
                                "resolved, and no open " + p.category().category() + " incident for "
                                        + endpoint.name()));
                    }
                }
            }
        }
        return new AlertIntakeResult(
                List.copyOf(opened),
                List.copyOf(deduplicated),
                List.copyOf(resolved),
                List.copyOf(triage.values()),
                ignored);
    }

    /**
     * Opens (or adds to) the incident a probe finding calls for. The detection loop calls this
     * for every finding; codes that call for no incident are ignored.
     *
     * @param findingCode {@code EXPIRED}, {@code EXPIRING_SOON}, {@code FINGERPRINT_MISMATCH},
     *                    {@code CHAIN_INCOMPLETE}, {@code UNTRUSTED_ROOT}, {@code REVOKED}
     * @return empty when the code opens no incident or the endpoint has left the inventory
     */
    @Transactional
    public Optional<Opening> fromFinding(String endpointName, String findingCode, Map<String, ?> detail) {
        Optional<CategoryRef> category = FindingCategories.of(findingCode);
        if (category.isEmpty()) {
            log.debug("Finding {} on endpoint {} opens no incident", findingCode, endpointName);
            return Optional.empty();
        }
        if (inventory.findByName(endpointName).isEmpty()) {
            log.warn(
                    "Finding {} for endpoint {}, which is no longer in the inventory: no incident",
                    findingCode,
                    endpointName);
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("finding", findingCode);
        evidence.put("detail", detail == null ? Map.of() : detail);
        if (incidents.findOpen(endpointName, category.get().category()).isEmpty()) {
            Optional<Incident> recent = incidents.latestResolvedSince(
                    endpointName, category.get().category(), clock.instant().minus(reopenGrace));
            if (recent.isPresent()) {
                // back within the grace after its incident was resolved: a person looks at that incident (did
                // the fix hold?) rather than a fresh incident starting the runbook over
                evidence.put("resolvedAt", String.valueOf(recent.get().resolvedAt()));
                evidence.put("reopenGrace", reopenGrace.toString());
                incidents.record(
                        recent.get().id(), TimelineTypes.FINDING_RETURNED, IncidentService.SYSTEM_ACTOR, evidence);
                log.info(
                        "Finding {} on endpoint {} returned within {} of resolving incident {}: recorded there",
                        findingCode,
                        endpointName,
                        reopenGrace,
                        recent.get().id());
                return Optional.of(new Opening(incidents.get(recent.get().id()), true));
            }
        }
        Object message = detail == null ? null : detail.get("message");
        String reason = Text.cut(
                "Probe finding " + findingCode + " on " + endpointName + (message != null ? ": " + message : ""),
                IncidentService.MAX_REASON);
        return Optional.of(incidents.open(new OpenIncident(
                endpointName,
                category.get().category(),
                category.get().subcategory(),
                reason,
                SOURCE_PROBE,
                IncidentService.SYSTEM_ACTOR,
                evidence)));
    }

    /** One firing episode of an Alertmanager alert; alerts without fingerprint or start cannot be told apart. */
    private record Episode(String fingerprint, Instant startsAt) {}

    private static Optional<Episode> episode(AlertmanagerPayload.Alert alert) {
        if (alert.fingerprint() == null
                || alert.fingerprint().isBlank()
                || alert.startsAt() == null
                || alert.startsAt().getEpochSecond() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Episode(alert.fingerprint().strip(), alert.startsAt()));
    }

    /** An alert that passed validation, with what it names. */
    record PlannedAlert(
            AlertmanagerPayload.Alert alert, boolean firing, String endpointName, Target target, CategoryRef category) {

        String targetText() {
            return endpointName != null ? endpointName : target.toString();
        }
    }

    /** Validates a payload and reads what each alert names; package-private so the shipped examples are checked against it. */
    List<PlannedAlert> plan(AlertmanagerPayload payload) {
        List<FieldError> errors = new ArrayList<>();
        if (payload.version() == null || !payload.version().equals("4")) {
            errors.add(new FieldError(
                    "version", "must be \"4\" (Alertmanager webhook payload version 4), was " + payload.version()));
        }
        if (payload.alerts() == null) {
            errors.add(new FieldError("alerts", "is required"));
            throw new InvalidRequestException(errors);
        }
        if (payload.alerts().size() > properties.maxAlerts()) {
            errors.add(new FieldError(
                    "alerts",
                    "has " + payload.alerts().size() + " alerts; at most " + properties.maxAlerts()
                            + " per notification (certloop.intake.max-alerts; Alertmanager's max_alerts in the"
                            + " webhook receiver keeps under it)"));
            throw new InvalidRequestException(errors);
        }
        List<PlannedAlert> planned = new ArrayList<>();
        for (int i = 0; i < payload.alerts().size(); i++) {
            String at = "alerts[" + i + "]";
            AlertmanagerPayload.Alert alert = payload.alerts().get(i);
            if (alert == null) {
                errors.add(new FieldError(at, "must be an alert object"));
                continue;
            }
            boolean firing = AlertmanagerPayload.FIRING.equals(alert.status());
            if (!firing && !AlertmanagerPayload.RESOLVED.equals(alert.status())) {
                errors.add(new FieldError(at + ".status", "must be firing or resolved, was " + alert.status()));
            }
            if (alert.labels() == null) {
                errors.add(new FieldError(at + ".labels", "is required"));
                continue;
            }
            if (alert.fingerprint() != null && alert.fingerprint().strip().length() > MAX_FINGERPRINT) {
                errors.add(new FieldError(
                        at + ".fingerprint",
                        "must be at most " + MAX_FINGERPRINT + " characters (Alertmanager's are 16 hex digits)"));
            }
            String endpointName = blankToNull(alert.labels().get(ENDPOINT_LABEL));
            if (endpointName != null && endpointName.length() > MAX_ENDPOINT_NAME) {
                errors.add(new FieldError(
                        at + ".labels." + ENDPOINT_LABEL,
                        "must be at most " + MAX_ENDPOINT_NAME + " characters (an inventory endpoint's name)"));
                continue;
            }
            Target target = null;
            if (endpointName == null) {
                String label = alert.labels().containsKey("instance") ? "instance" : "target";
                String raw = blankToNull(alert.labels().get(label));
                if (raw == null) {
                    errors.add(new FieldError(
                            at + ".labels", "names no target: set " + ENDPOINT_LABEL + ", instance or target"));
                    continue;
                }
                target = Target.parse(raw).orElse(null);
                if (target == null) {
                    errors.add(new FieldError(at + ".labels." + label, "not a host:port or URL: " + raw));
                    continue;
                }
            }
            CategoryRef category = null;
            String categoryLabel = blankToNull(alert.labels().get(CATEGORY_LABEL));
            String subcategoryLabel = blankToNull(alert.labels().get(SUBCATEGORY_LABEL));
            if (categoryLabel != null) {
                category = CategoryRef.parse(categoryLabel).orElse(null);
                if (category == null) {
                    errors.add(new FieldError(at + ".labels." + CATEGORY_LABEL, "unknown category " + categoryLabel));
                    continue;
                }
            } else {
                category = properties.categoryOf(alert.alertname()).orElse(null);
            }
            if (subcategoryLabel != null && category != null) {
                category = CategoryRef.parse(category.category() + "/" + subcategoryLabel)
                        .orElse(null);
                if (category == null) {
                    errors.add(new FieldError(
                            at + ".labels." + SUBCATEGORY_LABEL,
                            "not a subcategory of " + (categoryLabel != null ? categoryLabel : "the alert's category")
                                    + ": " + subcategoryLabel));
                    continue;
                }
            }
            planned.add(new PlannedAlert(alert, firing, endpointName, target, category));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return planned;
    }

    /** By name when the alert says which endpoint; else every endpoint at host:port, preferring an exact server name. */
    private List<Endpoint> endpointsFor(PlannedAlert p) {
        if (p.endpointName() != null) {
            return inventory.findByName(p.endpointName()).map(List::of).orElse(List.of());
        }
        List<Endpoint> all =
                inventory.findByTarget(p.target().host(), p.target().port());
        List<Endpoint> exact = all.stream()
                .filter(e -> e.serverName().equalsIgnoreCase(p.target().host()))
                .toList();
        return exact.isEmpty() ? all : exact;
    }

    private static String reason(AlertmanagerPayload.Alert alert, PlannedAlert p) {
        String text = firstNonBlank(
                alert.annotations().get("summary"), alert.annotations().get("description"));
        // annotations are free text of any length: the reason keeps what fits, the timeline's evidence the rest
        return Text.cut(
                "Alert " + alert.alertname() + " firing for " + p.targetText() + (text != null ? ": " + text : ""),
                IncidentService.MAX_REASON);
    }

    static String summary(AlertmanagerPayload.Alert alert) {
        StringBuilder s = new StringBuilder(alert.alertname().isEmpty() ? "alert" : alert.alertname());
        String text = firstNonBlank(
                alert.annotations().get("summary"), alert.annotations().get("description"));
        if (text != null) {
            s.append(": ").append(text);
        }
        Map<String, String> labels = new java.util.TreeMap<>(alert.labels());
        labels.remove("alertname");
        if (!labels.isEmpty()) {
            s.append(" ").append(labels);
        }
        return s.length() > 1000 ? s.substring(0, 1000) : s.toString();
    }

    private static Map<String, Object> evidence(AlertmanagerPayload payload, AlertmanagerPayload.Alert alert) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("alertname", alert.alertname());
        evidence.put("status", alert.status());
        evidence.put("fingerprint", alert.fingerprint());
        evidence.put(
                "startsAt", alert.startsAt() == null ? null : alert.startsAt().toString());
        evidence.put("endsAt", alert.endsAt() == null ? null : alert.endsAt().toString());
        evidence.put("labels", alert.labels());
        evidence.put("annotations", alert.annotations());
        evidence.put("generatorURL", alert.generatorURL());
        evidence.put("groupKey", payload.groupKey());
        evidence.put("receiver", payload.receiver());
        evidence.put("externalURL", payload.externalURL());
        return evidence;
    }

    private static AlertIntakeResult.Ignored ignore(AlertmanagerPayload.Alert alert, String reason) {
        log.info("Alert {} ({}) ignored: {}", alert.alertname(), alert.fingerprint(), reason);
        return new AlertIntakeResult.Ignored(alert.alertname(), alert.fingerprint(), reason);
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
