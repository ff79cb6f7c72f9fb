package io.certloop.outage;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Tables {@code issuer_health}, {@code ca_outage} and {@code ca_outage_waiter} (V50). */
@Repository
class CaOutageRepository {

    private final JdbcTemplate jdbc;

    CaOutageRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Health(String issuer, int consecutiveFailures, String outageIncidentId) {}

    record Outage(
            String incidentId,
            String issuer,
            Instant recoveredAt,
            String fallbackRequestedBy,
            String fallbackApprovedBy) {}

    record Waiter(String outageIncidentId, String waitingIncidentId, String endpoint, Instant resumedAt) {}

    /** The issuer's row exists from now on (one statement; a row another node made first is fine). */
    void ensureIssuer(String issuer) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM issuer_health WHERE issuer = ?", Integer.class, issuer) > 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO issuer_health (issuer, consecutive_failures) VALUES (?, 0)", issuer);
        } catch (DuplicateKeyException anotherNode) {
            // made by another node starting at the same time
        }
    }

    /** Locks the issuer's row until the transaction ends. */
    Optional<Health> lock(String issuer) {
        return jdbc
                .query(
                        "SELECT issuer, consecutive_failures, outage_incident_id FROM issuer_health WHERE issuer = ?"
                                + " FOR UPDATE",
                        (rs, row) -> new Health(rs.getString(1), rs.getInt(2), rs.getString(3)),
                        issuer)
                .stream()
                .findFirst();
    }

    void failed(String issuer, int consecutive, String reason, Instant at) {
        jdbc.update(
                "UPDATE issuer_health SET consecutive_failures = ?, last_failure = ?, last_failure_at = ? WHERE issuer = ?",
                consecutive,
                reason == null ? null : reason.substring(0, Math.min(reason.length(), 2000)),
                ts(at),
                issuer);
    }

    void succeeded(String issuer, Instant at) {
        jdbc.update(
                "UPDATE issuer_health SET consecutive_failures = 0, last_success_at = ? WHERE issuer = ?",
                ts(at),
                issuer);
    }

    void insertOutage(String incidentId, String issuer, Instant at) {
        jdbc.update(
                "INSERT INTO ca_outage (incident_id, issuer, opened_at) VALUES (?, ?, ?)", incidentId, issuer, ts(at));
    }

    void pointTo(String issuer, String incidentId) {
        jdbc.update("UPDATE issuer_health SET outage_incident_id = ? WHERE issuer = ?", incidentId, issuer);
    }

    void outageEnded(String issuer, String incidentId, Instant at) {
        jdbc.update(
                "UPDATE issuer_health SET outage_incident_id = NULL, consecutive_failures = 0, last_success_at = ?"
                        + " WHERE issuer = ? AND outage_incident_id = ?",
                ts(at),
                issuer,
                incidentId);
        jdbc.update(
                "UPDATE ca_outage SET recovered_at = ? WHERE incident_id = ? AND recovered_at IS NULL",
                ts(at),
                incidentId);
    }

    private static final String OUTAGE_COLUMNS =
            "o.incident_id, o.issuer, o.recovered_at, o.fallback_requested_by, o.fallback_approved_by";

    private static final RowMapper<Outage> OUTAGE = (rs, row) ->
            new Outage(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getString(4), rs.getString(5));

    Optional<Outage> outage(String incidentId) {
        return jdbc
                .query("SELECT " + OUTAGE_COLUMNS + " FROM ca_outage o WHERE o.incident_id = ?", OUTAGE, incidentId)
                .stream()
                .findFirst();
    }

    Optional<String> fallbackRequesterOfProcess(String processInstanceId) {
        return jdbc
                .query(
                        "SELECT o.fallback_requested_by FROM ca_outage o JOIN incident i ON i.id = o.incident_id"
                                + " WHERE i.process_instance_id = ? AND o.fallback_requested_by IS NOT NULL",
                        (rs, row) -> rs.getString(1),
                        processInstanceId)
                .stream()
                .findFirst();
    }

    void fallbackRequested(String incidentId, String by) {
        jdbc.update("UPDATE ca_outage SET fallback_requested_by = ? WHERE incident_id = ?", by, incidentId);
    }

    void fallbackApproved(String incidentId, String by, Instant at) {
        jdbc.update(
                "UPDATE ca_outage SET fallback_approved_by = ?, fallback_approved_at = ? WHERE incident_id = ?",
                by,
                ts(at),
                incidentId);
    }

    /** Links a waiting incident to the outage once; false when it already was. */
    boolean link(String outageIncidentId, String waitingIncidentId, String endpoint, Instant at) {
        int updated = jdbc.update(
                "UPDATE ca_outage_waiter SET resumed_at = NULL WHERE outage_incident_id = ? AND waiting_incident_id = ?",
                outageIncidentId,
                waitingIncidentId);
        if (updated > 0) {
            return false;
        }
        jdbc.update(
                "INSERT INTO ca_outage_waiter (outage_incident_id, waiting_incident_id, endpoint, linked_at)"
                        + " VALUES (?, ?, ?, ?)",
                outageIncidentId,
                waitingIncidentId,
                endpoint,
                ts(at));
        return true;
    }

    List<Waiter> waiters(String outageIncidentId) {
        return jdbc.query(
                "SELECT outage_incident_id, waiting_incident_id, endpoint, resumed_at FROM ca_outage_waiter"
                        + " WHERE outage_incident_id = ? ORDER BY linked_at, waiting_incident_id",
                (rs, row) -> new Waiter(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4))),
                outageIncidentId);
    }

    void resumed(String outageIncidentId, Instant at) {
        jdbc.update(
                "UPDATE ca_outage_waiter SET resumed_at = ? WHERE outage_incident_id = ? AND resumed_at IS NULL",
                ts(at),
                outageIncidentId);
    }

    /** The newest outage the incident waits or waited on. */
    Optional<Outage> outageWaitedOnBy(String waitingIncidentId) {
        return jdbc
                .query(
                        "SELECT " + OUTAGE_COLUMNS
                                + " FROM ca_outage o JOIN ca_outage_waiter w ON w.outage_incident_id = o.incident_id"
                                + " WHERE w.waiting_incident_id = ? ORDER BY w.linked_at DESC FETCH FIRST 1 ROWS ONLY",
                        OUTAGE,
                        waitingIncidentId)
                .stream()
                .findFirst();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
