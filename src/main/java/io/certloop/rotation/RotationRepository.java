package io.certloop.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.audit.AuditChain;
import io.certloop.audit.ChainEntry;
import io.certloop.audit.ChainLink;
import io.certloop.audit.StoredEntry;
import io.certloop.system.RecordIds;
import io.certloop.system.StoredDetail;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

/**
 * Rotations in {@code rotation}, their endpoints in {@code rotation_endpoint}, their timeline in
 * {@code rotation_event} (append-only, hash-chained: this class has no update or delete for it).
 */
@Repository
class RotationRepository {

    /** The chain name of rotation timelines. */
    static final String CHAIN = "rotation";

    private static final String COLUMNS =
            "id, reason, selector, profile, wave_size, canary_size, max_failure_rate, waves, state, approval_required, "
                    + "requested_by, requested_at, decided_by, decided_at, decision_comment, current_wave, started_at, "
                    + "finished_at, process_instance_id, updated_at";
    private static final String ENDPOINT_COLUMNS = "endpoint, wave, state, attempts, sha256_before, sha256_after, "
            + "started_at, finished_at, failure, incident_id";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final AuditChain chain;
    private final RecordIds ids;

    RotationRepository(JdbcTemplate jdbc, ObjectMapper json, DataSource dataSource, AuditChain chain) {
        this.jdbc = jdbc;
        this.json = json;
        this.chain = chain;
        this.ids = RecordIds.of("ROT", dataSource, "rotation_seq");
    }

    /** {@code ROT-<year>-<sequence>}, zero-padded to six digits. */
    String nextId(int year) {
        return ids.next(year);
    }

    void insert(Rotation r) {
        jdbc.update(
                "INSERT INTO rotation (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.id(),
                r.reason(),
                r.selector(),
                r.profile(),
                r.waveSize(),
                r.canarySize(),
                r.maxFailureRate(),
                r.waves(),
                r.state().value(),
                r.approvalRequired(),
                r.requestedBy(),
                ts(r.requestedAt()),
                r.decidedBy(),
                ts(r.decidedAt()),
                r.decisionComment(),
                r.currentWave(),
                ts(r.startedAt()),
                ts(r.finishedAt()),
                r.processInstanceId(),
                ts(r.updatedAt()));
    }

    /** The endpoints in rotation order: {@code waves.get(i)} holds wave i's endpoint names. */
    void insertEndpoints(String rotationId, List<List<String>> waves) {
        int position = 0;
        for (int wave = 0; wave < waves.size(); wave++) {
            for (String endpoint : waves.get(wave)) {
                jdbc.update(
                        "INSERT INTO rotation_endpoint (rotation_id, endpoint, wave, position, state, attempts) "
                                + "VALUES (?, ?, ?, ?, ?, 0)",
                        rotationId,
                        endpoint,
                        wave,
                        position++,
                        EndpointState.PENDING.value());
            }
        }
    }

    Optional<Rotation> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM rotation WHERE id = ?", this::map, id).stream()
                .findFirst();
    }

    /** Locks the row until the transaction ends: state changes and timeline appends of one rotation queue up. */
    Optional<Rotation> lock(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM rotation WHERE id = ? FOR UPDATE", this::map, id).stream()
                .findFirst();
    }

    Optional<Rotation> findByProcessInstance(String processInstanceId) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM rotation WHERE process_instance_id = ?",
                        this::map,
                        processInstanceId)
                .stream()
                .findFirst();
    }

    List<Rotation> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM rotation ORDER BY requested_at DESC, id DESC", this::map);
    }

    void attachProcess(String id, String processInstanceId, Instant now) {
        jdbc.update(
                "UPDATE rotation SET process_instance_id = ?, updated_at = ? WHERE id = ?",
                processInstanceId,
                ts(now),
                id);
    }

    void decide(String id, RotationState state, String decidedBy, String comment, Instant now) {
        jdbc.update(
                "UPDATE rotation SET state = ?, decided_by = ?, decided_at = ?, decision_comment = ?, updated_at = ?, "
                        + "finished_at = ? WHERE id = ?",
                state.value(),
                decidedBy,
                ts(now),
                comment,
                ts(now),
                state.finished() ? ts(now) : null,
                id);
    }

    void state(String id, RotationState state, Instant now) {
        jdbc.update(
                "UPDATE rotation SET state = ?, updated_at = ?, finished_at = ? WHERE id = ?",
                state.value(),
                ts(now),
                state.finished() ? ts(now) : null,
                id);
    }

    void waveStarted(String id, int wave, Instant now) {
        jdbc.update(
                "UPDATE rotation SET current_wave = ?, started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ?",
                wave,
                ts(now),
                ts(now),
                id);
    }

    List<RotationEndpoint> endpoints(String rotationId) {
        return jdbc.query(
                "SELECT " + ENDPOINT_COLUMNS + " FROM rotation_endpoint WHERE rotation_id = ? ORDER BY position",
                this::mapEndpoint,
                rotationId);
    }

    List<RotationEndpoint> endpoints(String rotationId, int wave) {
        return jdbc.query(
                "SELECT " + ENDPOINT_COLUMNS + " FROM rotation_endpoint WHERE rotation_id = ? AND wave = ? "
                        + "ORDER BY position",
                this::mapEndpoint,
                rotationId,
                wave);
    }

    Optional<RotationEndpoint> endpoint(String rotationId, String endpoint) {
        return jdbc
                .query(
                        "SELECT " + ENDPOINT_COLUMNS + " FROM rotation_endpoint WHERE rotation_id = ? AND endpoint = ?",
                        this::mapEndpoint,
                        rotationId,
                        endpoint)
                .stream()
                .findFirst();
    }

    /** The lowest wave that still has pending endpoints, if any. */
    Optional<Integer> firstWaveWithPending(String rotationId) {
        Integer wave = jdbc.queryForObject(
                "SELECT MIN(wave) FROM rotation_endpoint WHERE rotation_id = ? AND state = ?",
                Integer.class,
                rotationId,
                EndpointState.PENDING.value());
        return Optional.ofNullable(wave);
    }

    /**
     * Moves the endpoint from {@code from} to in-progress; false when it is not in that state (another run took it,
     * or it is done).
     */
    boolean begin(String rotationId, String endpoint, EndpointState from, Instant now) {
        return jdbc.update(
                        "UPDATE rotation_endpoint SET state = ?, attempts = attempts + 1, started_at = ? "
                                + "WHERE rotation_id = ? AND endpoint = ? AND state = ?",
                        EndpointState.IN_PROGRESS.value(),
                        ts(now),
                        rotationId,
                        endpoint,
                        from.value())
                == 1;
    }

    void before(String rotationId, String endpoint, String sha256) {
        jdbc.update(
                "UPDATE rotation_endpoint SET sha256_before = COALESCE(sha256_before, ?) "
                        + "WHERE rotation_id = ? AND endpoint = ?",
                sha256,
                rotationId,
                endpoint);
    }

    void finish(
            String rotationId,
            String endpoint,
            EndpointState state,
            String sha256After,
            String failure,
            String incidentId,
            Instant now) {
        jdbc.update(
                "UPDATE rotation_endpoint SET state = ?, sha256_after = ?, failure = ?, incident_id = ?, finished_at = ? "
                        + "WHERE rotation_id = ? AND endpoint = ?",
                state.value(),
                sha256After,
                failure,
                incidentId,
                ts(now),
                rotationId,
                endpoint);
    }

    /** Failed endpoints of the wave go back to pending (a commander chose to retry them); how many. */
    int retryFailed(String rotationId, int wave) {
        return jdbc.update(
                "UPDATE rotation_endpoint SET state = ?, failure = NULL, finished_at = NULL "
                        + "WHERE rotation_id = ? AND wave = ? AND state = ?",
                EndpointState.PENDING.value(),
                rotationId,
                wave,
                EndpointState.FAILED.value());
    }

    /** Endpoints per state of one rotation (every state present, zero when none). */
    Map<EndpointState, Long> counts(String rotationId) {
        return counts("rotation_id = ?", rotationId);
    }

    /** Endpoints per state over every rotation still going (not completed, aborted or rejected). */
    Map<EndpointState, Long> countsOfUnfinished() {
        return counts(
                "rotation_id IN (SELECT id FROM rotation WHERE state NOT IN (?, ?, ?))",
                RotationState.COMPLETED.value(),
                RotationState.ABORTED.value(),
                RotationState.REJECTED.value());
    }

    private Map<EndpointState, Long> counts(String where, Object... args) {
        Map<EndpointState, Long> counts = new EnumMap<>(EndpointState.class);
        for (EndpointState state : EndpointState.values()) {
            counts.put(state, 0L);
        }
        jdbc.query(
                "SELECT state, COUNT(*) AS n FROM rotation_endpoint WHERE " + where + " GROUP BY state",
                (RowCallbackHandler) rs -> {
                    long n = rs.getLong("n");
                    EndpointState.parse(rs.getString("state")).ifPresent(s -> counts.put(s, n));
                },
                args);
        return counts;
    }

    /**
     * Appends an entry to the rotation's timeline and joins it to its hash chain. The rotation row is locked first,
     * so concurrent appends (parallel endpoints) queue up in one order and the chain never forks.
     */
    void append(String rotationId, Instant at, String type, String actor, Map<String, ?> detail) {
        jdbc.query("SELECT id FROM rotation WHERE id = ? FOR UPDATE", rs -> null, rotationId);
        Instant stored = ChainEntry.storable(at);
        String text = StoredDetail.write(json, detail, "rotation timeline detail");
        ChainLink link = chain.extend(new ChainEntry(CHAIN, rotationId, stored, type, actor, text));
        jdbc.update(
                "INSERT INTO rotation_event (rotation_id, occurred_at, event_type, actor, detail, prev_hash, entry_hash) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                rotationId,
                ts(stored),
                type,
                actor,
                text,
                link.previousHash(),
                link.hash());
    }

    List<RotationEvent> timeline(String rotationId) {
        return jdbc.query(
                "SELECT occurred_at, event_type, actor, detail, prev_hash, entry_hash FROM rotation_event "
                        + "WHERE rotation_id = ? ORDER BY id",
                (rs, row) -> new RotationEvent(
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("event_type"),
                        rs.getString("actor"),
                        read(rs.getString("detail")),
                        rs.getString("prev_hash"),
                        rs.getString("entry_hash")),
                rotationId);
    }

    /** Streams chained entries (one rotation, or all ordered by rotation) for verification. */
    void forEachChained(String rotationId, Consumer<StoredEntry> consumer) {
        String sql = "SELECT id, rotation_id, occurred_at, event_type, actor, detail, prev_hash, entry_hash "
                + "FROM rotation_event" + (rotationId == null ? "" : " WHERE rotation_id = ?")
                + " ORDER BY rotation_id, id";
        RowCallbackHandler handler = rs -> consumer.accept(new StoredEntry(
                rs.getString("id"),
                new ChainEntry(
                        CHAIN,
                        rs.getString("rotation_id"),
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("event_type"),
                        rs.getString("actor"),
                        rs.getString("detail")),
                rs.getString("prev_hash"),
                rs.getString("entry_hash")));
        if (rotationId == null) {
            jdbc.query(
                    con -> {
                        PreparedStatement statement = con.prepareStatement(sql);
                        statement.setFetchSize(500);
                        return statement;
                    },
                    handler);
        } else {
            jdbc.query(sql, handler, rotationId);
        }
    }

    private Rotation map(ResultSet rs, int row) throws SQLException {
        int currentWave = rs.getInt("current_wave");
        Integer current = rs.wasNull() ? null : currentWave;
        return new Rotation(
                rs.getString("id"),
                rs.getString("reason"),
                rs.getString("selector"),
                rs.getString("profile"),
                rs.getInt("wave_size"),
                rs.getInt("canary_size"),
                rs.getDouble("max_failure_rate"),
                rs.getInt("waves"),
                RotationState.parse(rs.getString("state")).orElseThrow(),
                rs.getBoolean("approval_required"),
                rs.getString("requested_by"),
                instant(rs.getTimestamp("requested_at")),
                rs.getString("decided_by"),
                instant(rs.getTimestamp("decided_at")),
                rs.getString("decision_comment"),
                current,
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")),
                rs.getString("process_instance_id"),
                instant(rs.getTimestamp("updated_at")));
    }

    private RotationEndpoint mapEndpoint(ResultSet rs, int row) throws SQLException {
        return new RotationEndpoint(
                rs.getString("endpoint"),
                rs.getInt("wave"),
                EndpointState.parse(rs.getString("state")).orElseThrow(),
                rs.getInt("attempts"),
                rs.getString("sha256_before"),
                rs.getString("sha256_after"),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")),
                rs.getString("failure"),
                rs.getString("incident_id"));
    }

    private JsonNode read(String text) {
        return StoredDetail.read(json, text, "rotation timeline detail");
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
