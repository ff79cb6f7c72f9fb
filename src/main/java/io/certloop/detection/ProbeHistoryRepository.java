package io.certloop.detection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.probe.Finding;
import io.certloop.probe.ProbeReport;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Tables {@code probe_result} (history as evidence) and {@code probe_open_finding} (standing findings). */
@Repository
class ProbeHistoryRepository {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ProbeHistoryRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One stored probe result; {@code report} is the full report as JSON. */
    record Entry(
            long id,
            long endpointId,
            String endpointName,
            Instant probedAt,
            boolean reachable,
            String leafSha256,
            Instant leafNotAfter,
            List<String> findingCodes,
            JsonNode report) {}

    void record(long endpointId, String endpointName, ProbeReport report) {
        String codes = report.findings().stream().map(Finding::code).collect(Collectors.joining(","));
        jdbc.update(
                "INSERT INTO probe_result (endpoint_id, endpoint_name, probed_at, reachable, leaf_sha256, "
                        + "leaf_spki_sha256, leaf_not_after, finding_codes, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                endpointId,
                endpointName,
                Timestamp.from(report.probedAt()),
                report.reachable(),
                report.leaf() == null ? null : report.leaf().sha256(),
                report.leaf() == null ? null : report.leaf().spkiSha256(),
                report.leaf() == null ? null : Timestamp.from(report.leaf().notAfter()),
                codes,
                write(report));
    }

    /** Newest first. */
    List<Entry> history(long endpointId, int offset, int limit) {
        return jdbc.query(
                "SELECT id, endpoint_id, endpoint_name, probed_at, reachable, leaf_sha256, leaf_not_after, "
                        + "finding_codes, report FROM probe_result WHERE endpoint_id = ? ORDER BY probed_at DESC, id DESC"
                        + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                preparedStatement -> {
                    preparedStatement.setLong(1, endpointId);
                    preparedStatement.setInt(2, offset);
                    preparedStatement.setInt(3, limit);
                },
                (rs, row) -> new Entry(
                        rs.getLong("id"),
                        rs.getLong("endpoint_id"),
                        rs.getString("endpoint_name"),
                        rs.getTimestamp("probed_at").toInstant(),
                        rs.getBoolean("reachable"),
                        rs.getString("leaf_sha256"),
                        rs.getTimestamp("leaf_not_after") == null
                                ? null
                                : rs.getTimestamp("leaf_not_after").toInstant(),
                        rs.getString("finding_codes").isEmpty()
                                ? List.of()
                                : List.of(rs.getString("finding_codes").split(",")),
                        read(rs.getString("report"))));
    }

    /**
     * Inventory endpoints whose latest recorded probe with a handshake presented the certificate {@code sha256} or a certificate
     * with the key {@code spkiSha256} (either may be null), by name.
     */
    List<Presenting> latestPresenting(String sha256, String spkiSha256) {
        if (sha256 == null && spkiSha256 == null) {
            return List.of();
        }
        return jdbc.query(
                "SELECT e.name, p.leaf_sha256, p.leaf_spki_sha256, p.probed_at FROM probe_result p"
                        + " JOIN inventory_endpoint e ON e.id = p.endpoint_id"
                        + " WHERE (p.leaf_sha256 = ? OR p.leaf_spki_sha256 = ?)"
                        + " AND NOT EXISTS (SELECT 1 FROM probe_result q WHERE q.endpoint_id = p.endpoint_id"
                        + " AND q.reachable = TRUE AND (q.probed_at > p.probed_at OR (q.probed_at = p.probed_at AND q.id > p.id)))"
                        + " ORDER BY e.name",
                (rs, row) -> {
                    String leaf = rs.getString("leaf_sha256");
                    return new Presenting(
                            rs.getString("name"),
                            leaf,
                            rs.getString("leaf_spki_sha256"),
                            rs.getTimestamp("probed_at").toInstant(),
                            sha256 != null && sha256.equalsIgnoreCase(leaf)
                                    ? Presenting.SAME_CERTIFICATE
                                    : Presenting.SAME_KEY);
                },
                sha256 == null ? "" : sha256.toLowerCase(java.util.Locale.ROOT),
                spkiSha256 == null ? "" : spkiSha256.toLowerCase(java.util.Locale.ROOT));
    }

    /** Standing finding codes per endpoint. */
    Map<Long, List<String>> openFindings() {
        return jdbc
                .query(
                        "SELECT endpoint_id, code FROM probe_open_finding ORDER BY endpoint_id, code",
                        (rs, row) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    List<String> openFindings(long endpointId) {
        return jdbc.queryForList(
                "SELECT code FROM probe_open_finding WHERE endpoint_id = ? ORDER BY code", String.class, endpointId);
    }

    /** True when this call opened it (false: it was already open, possibly by another node). */
    boolean open(long endpointId, Finding finding, Instant at) {
        try {
            String detail = finding.detail().length() > 2000 ? finding.detail().substring(0, 2000) : finding.detail();
            return jdbc.update(
                            "INSERT INTO probe_open_finding (endpoint_id, code, opened_at, detail) VALUES (?, ?, ?, ?)",
                            endpointId,
                            finding.code(),
                            Timestamp.from(at),
                            detail)
                    == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** True when this call closed it. */
    boolean close(long endpointId, String code) {
        return jdbc.update("DELETE FROM probe_open_finding WHERE endpoint_id = ? AND code = ?", endpointId, code) == 1;
    }

    private String write(ProbeReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize probe report", e);
        }
    }

    private JsonNode read(String value) {
        try {
            return json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt probe report", e);
        }
    }
}
