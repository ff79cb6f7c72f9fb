package io.certloop.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.incident.Incident;
import io.certloop.incident.IncidentService;
import io.certloop.incident.TimelineEntry;
import io.certloop.incident.TimelineTypes;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One incident's evidence as a single document: the record, its verified timeline with actors and
 * hashes, the runbook's activity history, probe evidence, the severity decision, certificates issued
 * (serials and fingerprints only), deployments and rollbacks, and notifications. Everything but the
 * activity history comes from CertLoop's own tables, so it survives the engine's history cleanup.
 */
@Service
public class EvidenceService {

    private static final Set<String> DEPLOYMENT_TYPES = Set.of(
            TimelineTypes.CERTIFICATE_DEPLOYED,
            TimelineTypes.DEPLOYMENT_HANDED_TO_AGENT,
            TimelineTypes.AGENT_DEPLOYMENT_FAILED,
            TimelineTypes.DEPLOYMENT_RELEASED,
            TimelineTypes.DEPLOYMENT_ROLLED_BACK,
            TimelineTypes.DEPLOYMENT_VERIFIED);
    private static final Set<String> PROBE_TYPES = Set.of(
            TimelineTypes.EXPECTED_CERTIFICATE_CHECKED,
            TimelineTypes.INVESTIGATION_VERIFIED,
            TimelineTypes.DEPLOYMENT_VERIFIED,
            TimelineTypes.CAUSE_CONFIRMED);
    private static final int PROBE_LIMIT = 50;

    private final IncidentService incidents;
    private final ChainVerifier verifier;
    private final ProcessHistory history;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    EvidenceService(
            IncidentService incidents, ChainVerifier verifier, ProcessHistory history, JdbcTemplate jdbc, Clock clock) {
        this.incidents = incidents;
        this.verifier = verifier;
        this.history = history;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Map<String, Object> evidence(String incidentId) {
        Incident incident = incidents.get(incidentId);
        List<TimelineEntry> timeline = incidents.timeline(incidentId);
        Instant from = incident.openedAt();
        Instant to = incident.closedAt() != null
                ? incident.closedAt()
                : incident.resolvedAt() != null ? incident.resolvedAt() : clock.instant();

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("generatedAt", clock.instant());
        document.put("incident", incident);
        document.put("verification", verifier.verify("incident", incidentId));
        document.put("timeline", timeline);
        document.put("processHistory", processHistory(incident.processInstanceId()));
        document.put("activityHistory", history.activities(incident.processInstanceId()));
        document.put("severityDecision", severityDecision(incident, timeline));
        document.put("probeEvidence", probeEvidence(incident, timeline, from, to));
        document.put("certificatesIssued", certificates(incident.endpoint(), from, to));
        document.put(
                "deployments",
                timeline.stream()
                        .filter(e -> DEPLOYMENT_TYPES.contains(e.type()))
                        .toList());
        document.put("notifications", notifications(incidentId));
        return document;
    }

    /** Whether the engine still holds the runbook's history; the rest of the document never depends on it. */
    private Map<String, Object> processHistory(String processInstanceId) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("processInstanceId", processInstanceId);
        boolean available = history.available(processInstanceId);
        state.put("available", available);
        if (!available) {
            state.put(
                    "note",
                    processInstanceId == null
                            ? "no runbook was attached to this incident"
                            : "the process engine no longer holds this runbook's history (removed by its history"
                                    + " cleanup); the timeline above is CertLoop's own record of every step");
        }
        return state;
    }

    private static Map<String, Object> severityDecision(Incident incident, List<TimelineEntry> timeline) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("category", incident.category());
        inputs.put("subcategory", incident.subcategory());
        inputs.put("tier", incident.tier());
        inputs.put("environment", incident.environment());
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("policy", "processes/incident-severity.dmn");
        decision.put("inputs", inputs);
        decision.put("result", incident.severity());
        timeline.stream()
                .filter(e -> TimelineTypes.OPENED.equals(e.type()))
                .findFirst()
                .ifPresent(opened ->
                        decision.put("recordedAtOpening", opened.detail().path("severity")));
        return decision;
    }

    private Map<String, Object> probeEvidence(
            Incident incident, List<TimelineEntry> timeline, Instant from, Instant to) {
        Map<String, Object> probes = new LinkedHashMap<>();
        List<JsonNode> atOpening = timeline.stream()
                .filter(e -> TimelineTypes.OPENED.equals(e.type()) || TimelineTypes.REPEATED.equals(e.type()))
                .map(e -> e.detail().path("evidence"))
                .filter(n -> !n.isMissingNode() && !n.isNull())
                .toList();
        probes.put("reportedWithAlerts", atOpening);
        probes.put(
                "runbookChecks",
                timeline.stream().filter(e -> PROBE_TYPES.contains(e.type())).toList());
        // the live probes of the endpoint while the incident ran: fingerprints, chain, findings, revocation
        probes.put(
                "liveProbes",
                jdbc.query(
                        "SELECT probed_at, reachable, leaf_sha256, leaf_not_after, finding_codes, report "
                                + "FROM probe_result WHERE endpoint_name = ? AND probed_at >= ? AND probed_at <= ? ORDER BY probed_at DESC",
                        ps -> {
                            ps.setString(1, incident.endpoint());
                            ps.setTimestamp(2, Timestamp.from(from.minusSeconds(3600)));
                            ps.setTimestamp(3, Timestamp.from(to.plusSeconds(3600)));
                            ps.setMaxRows(PROBE_LIMIT);
                        },
                        (rs, row) -> {
                            Map<String, Object> probe = new LinkedHashMap<>();
                            probe.put("probedAt", rs.getTimestamp("probed_at").toInstant());
                            probe.put("reachable", rs.getBoolean("reachable"));
                            probe.put("leafSha256", rs.getString("leaf_sha256"));
                            Timestamp notAfter = rs.getTimestamp("leaf_not_after");
                            probe.put("leafNotAfter", notAfter == null ? null : notAfter.toInstant());
                            probe.put("findings", rs.getString("finding_codes"));
                            probe.put("report", new RawJson(rs.getString("report")));
                            return probe;
                        }));
        return probes;
    }

    private List<Map<String, Object>> certificates(String endpoint, Instant from, Instant to) {
        return jdbc.query(
                "SELECT id, issuer, serial, sha256, not_before, not_after, issued_at, revoked_at, revocation_reason "
                        + "FROM issued_certificate WHERE endpoint_name = ? AND issued_at >= ? AND issued_at <= ? ORDER BY issued_at",
                (rs, row) -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("id", rs.getString("id"));
                    c.put("issuer", rs.getString("issuer"));
                    c.put("serial", rs.getString("serial"));
                    c.put("sha256", rs.getString("sha256"));
                    c.put("notBefore", rs.getTimestamp("not_before").toInstant());
                    c.put("notAfter", rs.getTimestamp("not_after").toInstant());
                    c.put("issuedAt", rs.getTimestamp("issued_at").toInstant());
                    Timestamp revoked = rs.getTimestamp("revoked_at");
                    c.put("revokedAt", revoked == null ? null : revoked.toInstant());
                    c.put("revocationReason", rs.getString("revocation_reason"));
                    return c;
                },
                endpoint,
                Timestamp.from(from),
                Timestamp.from(to));
    }

    private List<Map<String, Object>> notifications(String incidentId) {
        return jdbc.query(
                "SELECT kind, recipients, subject, body, status, failure_reason, created_at FROM notification_outbox "
                        + "WHERE incident_id = ? ORDER BY id",
                (rs, row) -> {
                    Map<String, Object> n = new LinkedHashMap<>();
                    n.put("kind", rs.getString("kind"));
                    n.put("recipients", rs.getString("recipients"));
                    n.put("subject", rs.getString("subject"));
                    n.put("body", rs.getString("body"));
                    n.put("status", rs.getString("status"));
                    n.put("failureReason", rs.getString("failure_reason"));
                    n.put("createdAt", rs.getTimestamp("created_at").toInstant());
                    return n;
                },
                incidentId);
    }

    /** A stored JSON document written through as is. */
    record RawJson(
            @com.fasterxml.jackson.annotation.JsonRawValue @com.fasterxml.jackson.annotation.JsonValue
            String json) {}
}
