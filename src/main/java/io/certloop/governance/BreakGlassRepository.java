package io.certloop.governance;

import io.certloop.system.RecordIds;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Break-glass requests in {@code break_glass}, one row per approver in {@code break_glass_approval}. */
@Repository
class BreakGlassRepository {

    private static final String COLUMNS =
            "id, incident_id, endpoint, severity, reason, state, approvals_needed, requested_by, "
                    + "requested_at, approved_at, review_due_at, reviewed_by, reviewed_at, emergency_sha256, emergency_not_after, "
                    + "standard_sha256, process_instance_id, updated_at";

    private final JdbcTemplate jdbc;
    private final RecordIds ids;

    BreakGlassRepository(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.ids = RecordIds.of("BG", dataSource, "break_glass_seq");
    }

    String nextId(int year) {
        return ids.next(year);
    }

    void insert(BreakGlassRecord b) {
        jdbc.update(
                "INSERT INTO break_glass (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                b.id(),
                b.incidentId(),
                b.endpoint(),
                b.severity(),
                b.reason(),
                b.state().value(),
                b.approvalsNeeded(),
                b.requestedBy(),
                ts(b.requestedAt()),
                ts(b.approvedAt()),
                ts(b.reviewDueAt()),
                b.reviewedBy(),
                ts(b.reviewedAt()),
                b.emergencySha256(),
                ts(b.emergencyNotAfter()),
                b.standardSha256(),
                b.processInstanceId(),
                ts(b.updatedAt()));
    }

    Optional<BreakGlassRecord> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM break_glass WHERE id = ?", this::map, id).stream()
                .findFirst();
    }

    Optional<BreakGlassRecord> lock(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM break_glass WHERE id = ? FOR UPDATE", this::map, id).stream()
                .findFirst();
    }

    Optional<BreakGlassRecord> findByProcessInstance(String processInstanceId) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM break_glass WHERE process_instance_id = ?",
                        this::map,
                        processInstanceId)
                .stream()
                .findFirst();
    }

    List<BreakGlassRecord> forIncident(String incidentId) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM break_glass WHERE incident_id = ? ORDER BY requested_at, id",
                this::map,
                incidentId);
    }

    void attachProcess(String id, String processInstanceId, Instant now) {
        jdbc.update(
                "UPDATE break_glass SET process_instance_id = ?, updated_at = ? WHERE id = ?",
                processInstanceId,
                ts(now),
                id);
    }

    /** False when this approver already decided this request (the primary key refuses a second row). */
    boolean hasDecided(String id, String approver) {
        Integer count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM break_glass_approval WHERE break_glass_id = ? AND approver = ?",
                Integer.class,
                id,
                approver);
        return count != null && count > 0;
    }

    void addApproval(String id, String approver, boolean approved, String comment, Instant now) {
        jdbc.update(
                "INSERT INTO break_glass_approval (break_glass_id, approver, approved, comment, decided_at) VALUES (?, ?, ?, ?, ?)",
                id,
                approver,
                approved,
                comment,
                ts(now));
    }

    int countApprovals(String id) {
        Integer count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM break_glass_approval WHERE break_glass_id = ? AND approved = ?",
                Integer.class,
                id,
                true);
        return count == null ? 0 : count;
    }

    List<String> approvers(String id) {
        return jdbc.queryForList(
                "SELECT approver FROM break_glass_approval WHERE break_glass_id = ? AND approved = ? "
                        + "ORDER BY decided_at",
                String.class,
                id,
                true);
    }

    void approve(String id, Instant reviewDueAt, Instant now) {
        jdbc.update(
                "UPDATE break_glass SET state = ?, approved_at = ?, review_due_at = ?, updated_at = ? WHERE id = ?",
                BreakGlassState.APPROVED.value(),
                ts(now),
                ts(reviewDueAt),
                ts(now),
                id);
    }

    void reject(String id, Instant now) {
        jdbc.update(
                "UPDATE break_glass SET state = ?, updated_at = ? WHERE id = ?",
                BreakGlassState.REJECTED.value(),
                ts(now),
                id);
    }

    void emergencyVerified(String id, String sha256, Instant notAfter, Instant now) {
        jdbc.update(
                "UPDATE break_glass SET emergency_sha256 = ?, emergency_not_after = ?, updated_at = ? WHERE id = ?",
                sha256,
                ts(notAfter),
                ts(now),
                id);
    }

    void standardVerified(String id, String sha256, Instant now) {
        jdbc.update("UPDATE break_glass SET standard_sha256 = ?, updated_at = ? WHERE id = ?", sha256, ts(now), id);
    }

    void reviewed(String id, String reviewer, Instant now) {
        jdbc.update(
                "UPDATE break_glass SET state = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ?",
                BreakGlassState.REVIEWED.value(),
                reviewer,
                ts(now),
                ts(now),
                id);
    }

    private BreakGlassRecord map(ResultSet rs, int row) throws SQLException {
        return new BreakGlassRecord(
                rs.getString("id"),
                rs.getString("incident_id"),
                rs.getString("endpoint"),
                rs.getString("severity"),
                rs.getString("reason"),
                BreakGlassState.parse(rs.getString("state")),
                rs.getInt("approvals_needed"),
                rs.getString("requested_by"),
                instant(rs.getTimestamp("requested_at")),
                instant(rs.getTimestamp("approved_at")),
                instant(rs.getTimestamp("review_due_at")),
                rs.getString("reviewed_by"),
                instant(rs.getTimestamp("reviewed_at")),
                rs.getString("emergency_sha256"),
                instant(rs.getTimestamp("emergency_not_after")),
                rs.getString("standard_sha256"),
                rs.getString("process_instance_id"),
                instant(rs.getTimestamp("updated_at")));
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
