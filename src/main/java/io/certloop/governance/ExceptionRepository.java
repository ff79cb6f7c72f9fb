package io.certloop.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.system.RecordIds;
import io.certloop.system.StoredDetail;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Exceptions in {@code policy_exception}, their decision history in {@code policy_exception_event}
 * (append-only: this class has no update or delete for it).
 */
@Repository
class ExceptionRepository {

    private static final String COLUMNS =
            "id, endpoint, finding_code, reason, compensating_controls, state, requested_by, "
                    + "requested_at, requested_expires_at, expires_at, decided_by, decided_at, decision_comment, ended_at, "
                    + "process_instance_id, updated_at";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final RecordIds ids;

    ExceptionRepository(JdbcTemplate jdbc, ObjectMapper json, DataSource dataSource) {
        this.jdbc = jdbc;
        this.json = json;
        this.ids = RecordIds.of("EXC", dataSource, "policy_exception_seq");
    }

    /** {@code EXC-<year>-<sequence>}, zero-padded to six digits. */
    String nextId(int year) {
        return ids.next(year);
    }

    void insert(ExceptionRecord e) {
        jdbc.update(
                "INSERT INTO policy_exception (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(),
                e.endpoint(),
                e.findingCode(),
                e.reason(),
                e.compensatingControls(),
                e.state().value(),
                e.requestedBy(),
                ts(e.requestedAt()),
                ts(e.requestedExpiresAt()),
                ts(e.expiresAt()),
                e.decidedBy(),
                ts(e.decidedAt()),
                e.decisionComment(),
                ts(e.endedAt()),
                e.processInstanceId(),
                ts(e.updatedAt()));
    }

    Optional<ExceptionRecord> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM policy_exception WHERE id = ?", this::map, id).stream()
                .findFirst();
    }

    /** Locks the row until the transaction ends, so decisions, revocation and expiry do not interleave. */
    Optional<ExceptionRecord> lock(String id) {
        return jdbc
                .query("SELECT " + COLUMNS + " FROM policy_exception WHERE id = ? FOR UPDATE", this::map, id)
                .stream()
                .findFirst();
    }

    Optional<ExceptionRecord> findByProcessInstance(String processInstanceId) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM policy_exception WHERE process_instance_id = ?",
                        this::map,
                        processInstanceId)
                .stream()
                .findFirst();
    }

    /** Newest first, {@code limit} rows after skipping {@code offset}. */
    List<ExceptionRecord> list(ExceptionState state, int offset, int limit) {
        if (state == null) {
            return jdbc.query(
                    "SELECT " + COLUMNS + " FROM policy_exception ORDER BY requested_at DESC, id DESC"
                            + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    this::map,
                    offset,
                    limit);
        }
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM policy_exception WHERE state = ? ORDER BY requested_at DESC, id DESC"
                        + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                this::map,
                state.value(),
                offset,
                limit);
    }

    /** Active and unexpired exceptions of one endpoint. */
    List<ExceptionRecord> activeFor(String endpoint, Instant now) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM policy_exception WHERE endpoint = ? AND state = ? AND expires_at > ? "
                        + "ORDER BY expires_at DESC",
                this::map,
                endpoint,
                ExceptionState.ACTIVE.value(),
                ts(now));
    }

    /** Earlier requests for the same endpoint and finding, newest first (a renewal shows them). */
    List<ExceptionRecord> previous(String endpoint, String findingCode) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM policy_exception WHERE endpoint = ? AND finding_code = ? "
                        + "ORDER BY requested_at DESC, id DESC",
                this::map,
                endpoint,
                findingCode);
    }

    long countActive(Instant now) {
        Long count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM policy_exception WHERE state = ? AND expires_at > ?",
                Long.class,
                ExceptionState.ACTIVE.value(),
                ts(now));
        return count == null ? 0 : count;
    }

    void attachProcess(String id, String processInstanceId, Instant now) {
        jdbc.update(
                "UPDATE policy_exception SET process_instance_id = ?, updated_at = ? WHERE id = ?",
                processInstanceId,
                ts(now),
                id);
    }

    void decide(String id, ExceptionState state, String decidedBy, String comment, Instant expiresAt, Instant now) {
        jdbc.update(
                "UPDATE policy_exception SET state = ?, decided_by = ?, decided_at = ?, decision_comment = ?, "
                        + "expires_at = ?, ended_at = ?, updated_at = ? WHERE id = ?",
                state.value(),
                decidedBy,
                ts(now),
                comment,
                ts(expiresAt),
                state == ExceptionState.REJECTED ? ts(now) : null,
                ts(now),
                id);
    }

    void end(String id, ExceptionState state, Instant now) {
        jdbc.update(
                "UPDATE policy_exception SET state = ?, ended_at = ?, updated_at = ? WHERE id = ?",
                state.value(),
                ts(now),
                ts(now),
                id);
    }

    void append(String exceptionId, Instant at, String type, String actor, Map<String, ?> detail) {
        jdbc.update(
                "INSERT INTO policy_exception_event (exception_id, occurred_at, event_type, actor, detail) "
                        + "VALUES (?, ?, ?, ?, ?)",
                exceptionId,
                ts(at),
                type,
                actor,
                write(detail));
    }

    List<ExceptionEvent> history(String exceptionId) {
        return jdbc.query(
                "SELECT occurred_at, event_type, actor, detail FROM policy_exception_event "
                        + "WHERE exception_id = ? ORDER BY id",
                (rs, row) -> new ExceptionEvent(
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("event_type"),
                        rs.getString("actor"),
                        read(rs.getString("detail"))),
                exceptionId);
    }

    private ExceptionRecord map(ResultSet rs, int row) throws SQLException {
        return new ExceptionRecord(
                rs.getString("id"),
                rs.getString("endpoint"),
                rs.getString("finding_code"),
                rs.getString("reason"),
                rs.getString("compensating_controls"),
                ExceptionState.parse(rs.getString("state")).orElseThrow(),
                rs.getString("requested_by"),
                instant(rs.getTimestamp("requested_at")),
                instant(rs.getTimestamp("requested_expires_at")),
                instant(rs.getTimestamp("expires_at")),
                rs.getString("decided_by"),
                instant(rs.getTimestamp("decided_at")),
                rs.getString("decision_comment"),
                instant(rs.getTimestamp("ended_at")),
                rs.getString("process_instance_id"),
                instant(rs.getTimestamp("updated_at")));
    }

    private String write(Map<String, ?> detail) {
        return StoredDetail.write(json, detail, "exception history detail");
    }

    private JsonNode read(String text) {
        return StoredDetail.read(json, text, "exception history detail");
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
