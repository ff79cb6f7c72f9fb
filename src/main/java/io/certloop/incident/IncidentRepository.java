package io.certloop.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.system.RecordIds;
import io.certloop.system.StoredDetail;
import io.certloop.system.Text;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Incidents in table {@code incident}, their evidence in {@code incident_timeline} (append-only:
 * this class has no update or delete for it, but for storing the hashes of rows written before chaining). {@code open_key} is {@code endpoint|category} while
 * the incident is open and NULL afterwards; its unique index makes "one open incident per
 * endpoint and category" hold even when two nodes race.
 */
@Repository
class IncidentRepository {

    private static final String COLUMNS = "id, category, subcategory, endpoint, tier, environment, severity, "
            + "response_sla, update_cadence, page_incident_commander, notify_executives_within, state, reason, "
            + "resolution, process_instance_id, opened_at, updated_at, resolved_at, closed_at";
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final RecordIds ids;
    private final TimelineSeal seal;

    IncidentRepository(JdbcTemplate jdbc, ObjectMapper json, DataSource dataSource, TimelineSeal seal) {
        this.jdbc = jdbc;
        this.json = json;
        this.seal = seal;
        this.ids = RecordIds.of("INC", dataSource, "incident_seq");
    }

    /** {@code INC-<year>-<sequence>}, the sequence zero-padded to six digits (it keeps counting across years). */
    String nextId(int year) {
        return ids.next(year);
    }

    static String openKey(String endpoint, String category) {
        return endpoint + "|" + category;
    }

    /** The open key of the one {@code ca-outage} incident an issuer may have open, whichever endpoint tripped it. */
    static String issuerKey(String issuer) {
        return "issuer:" + issuer + "|" + Taxonomy.CA_OUTAGE;
    }

    void insert(Incident i, String openKey) {
        Severity s = i.severity();
        jdbc.update(
                "INSERT INTO incident (" + COLUMNS
                        + ", open_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                i.id(),
                i.category(),
                i.subcategory(),
                i.endpoint(),
                i.tier(),
                i.environment(),
                s.level(),
                s.responseSla().toString(),
                s.updateCadence().toString(),
                s.pageIncidentCommander(),
                s.notifyExecutivesWithin() == null
                        ? null
                        : s.notifyExecutivesWithin().toString(),
                i.state().value(),
                i.reason(),
                i.resolution(),
                i.processInstanceId(),
                ts(i.openedAt()),
                ts(i.updatedAt()),
                ts(i.resolvedAt()),
                ts(i.closedAt()),
                i.isOpen() ? openKey : null);
    }

    Optional<Incident> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM incident WHERE id = ?", this::map, id).stream()
                .findFirst();
    }

    /** Locks the row until the transaction ends, so state changes do not interleave. */
    Optional<Incident> lock(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM incident WHERE id = ? FOR UPDATE", this::map, id).stream()
                .findFirst();
    }

    Optional<Incident> findOpen(String endpoint, String category) {
        return findOpenByKey(openKey(endpoint, category));
    }

    Optional<Incident> findOpenByKey(String openKey) {
        return jdbc.query("SELECT " + COLUMNS + " FROM incident WHERE open_key = ?", this::map, openKey).stream()
                .findFirst();
    }

    Optional<Incident> latestResolvedSince(String endpoint, String category, Instant since) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM incident WHERE endpoint = ? AND category = ? AND resolved_at >= ?"
                                + " ORDER BY resolved_at DESC FETCH FIRST 1 ROWS ONLY",
                        this::map,
                        endpoint,
                        category,
                        ts(since))
                .stream()
                .findFirst();
    }

    List<Incident> list(IncidentState state, String endpoint) {
        return list(state, endpoint, 0, Integer.MAX_VALUE);
    }

    /** Newest first, {@code limit} rows after skipping {@code offset}. */
    List<Incident> list(IncidentState state, String endpoint, int offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM incident WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state.value());
        }
        if (endpoint != null) {
            sql.append(" AND endpoint = ?");
            args.add(endpoint);
        }
        sql.append(" ORDER BY opened_at DESC, id DESC");
        if (limit < Integer.MAX_VALUE) {
            sql.append(" OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
            args.add(offset);
            args.add(limit);
        }
        return jdbc.query(sql.toString(), this::map, args.toArray());
    }

    /** Open incidents counted per category and severity level; combinations with none are absent. */
    List<OpenCount> countOpen() {
        return jdbc.query(
                "SELECT category, severity, COUNT(*) AS n FROM incident WHERE state = ? GROUP BY category, severity",
                (rs, row) -> new OpenCount(rs.getString("category"), rs.getString("severity"), rs.getLong("n")),
                IncidentState.OPEN.value());
    }

    record OpenCount(String category, String severity, long count) {}

    void attachProcess(String id, String processInstanceId, Instant now) {
        jdbc.update(
                "UPDATE incident SET process_instance_id = ?, updated_at = ? WHERE id = ?",
                processInstanceId,
                ts(now),
                id);
    }

    /** The resolution column: a runbook's summary longer than this is cut, never a failed job. */
    private static final int MAX_RESOLUTION = 4000;

    void resolve(String id, String resolution, Instant now) {
        jdbc.update(
                "UPDATE incident SET state = ?, resolution = ?, resolved_at = ?, updated_at = ?, open_key = NULL WHERE id = ?",
                IncidentState.RESOLVED.value(),
                Text.cut(resolution, MAX_RESOLUTION),
                ts(now),
                ts(now),
                id);
    }

    void close(String id, String resolution, Instant now) {
        jdbc.update(
                "UPDATE incident SET state = ?, resolution = COALESCE(?, resolution), closed_at = ?, updated_at = ?, "
                        + "open_key = NULL WHERE id = ?",
                IncidentState.CLOSED.value(),
                Text.cut(resolution, MAX_RESOLUTION),
                ts(now),
                ts(now),
                id);
    }

    void touch(String id, Instant now) {
        jdbc.update("UPDATE incident SET updated_at = ? WHERE id = ?", ts(now), id);
    }

    /**
     * Appends an entry and joins it to the incident's hash chain. The incident row is locked first
     * (until the transaction ends), so concurrent appends to one incident queue up in one order and
     * the chain never forks; the chain's head is locked by the {@link TimelineSeal} as well.
     */
    void append(String incidentId, Instant at, String type, String actor, Object detail) {
        jdbc.query("SELECT id FROM incident WHERE id = ? FOR UPDATE", rs -> null, incidentId);
        // stored times are cut to microseconds (what PostgreSQL keeps): the sealed entry and the row must agree
        Instant stored = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        String text = write(detail);
        TimelineSeal.Seal link = seal.seal(incidentId, stored, type, actor, text);
        jdbc.update(
                "INSERT INTO incident_timeline (incident_id, occurred_at, entry_type, actor, detail, prev_hash, entry_hash) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                incidentId,
                ts(stored),
                type,
                actor,
                text,
                link.previousHash(),
                link.hash());
    }

    /** The hashes of a row written before timelines were chained (the one-time backfill). */
    void relink(long entryId, String previousHash, String hash) {
        jdbc.update(
                "UPDATE incident_timeline SET prev_hash = ?, entry_hash = ? WHERE id = ?", previousHash, hash, entryId);
    }

    List<TimelineEntry> timeline(String incidentId) {
        return jdbc.query(
                "SELECT id, occurred_at, entry_type, actor, detail, prev_hash, entry_hash FROM incident_timeline "
                        + "WHERE incident_id = ? ORDER BY id",
                (rs, row) -> new TimelineEntry(
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("entry_type"),
                        rs.getString("actor"),
                        read(rs.getString("detail")),
                        rs.getLong("id"),
                        rs.getString("prev_hash"),
                        rs.getString("entry_hash")),
                incidentId);
    }

    /** Streams chained entries (one incident, or all ordered by incident) for verification. */
    void forEachChained(String incidentId, java.util.function.Consumer<ChainedTimelineEntry> consumer) {
        String sql =
                "SELECT id, incident_id, occurred_at, entry_type, actor, detail, prev_hash, entry_hash FROM incident_timeline"
                        + (incidentId == null ? "" : " WHERE incident_id = ?") + " ORDER BY incident_id, id";
        org.springframework.jdbc.core.RowCallbackHandler handler = rs -> consumer.accept(new ChainedTimelineEntry(
                rs.getLong("id"),
                rs.getString("incident_id"),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("entry_type"),
                rs.getString("actor"),
                rs.getString("detail"),
                rs.getString("prev_hash"),
                rs.getString("entry_hash")));
        if (incidentId == null) {
            jdbc.query(
                    con -> {
                        java.sql.PreparedStatement statement = con.prepareStatement(sql);
                        statement.setFetchSize(500);
                        return statement;
                    },
                    handler);
        } else {
            jdbc.query(sql, handler, incidentId);
        }
    }

    private Incident map(ResultSet rs, int row) throws SQLException {
        String executives = rs.getString("notify_executives_within");
        return new Incident(
                rs.getString("id"),
                rs.getString("category"),
                rs.getString("subcategory"),
                rs.getString("endpoint"),
                rs.getInt("tier"),
                rs.getString("environment"),
                new Severity(
                        rs.getString("severity"),
                        Duration.parse(rs.getString("response_sla")),
                        Duration.parse(rs.getString("update_cadence")),
                        rs.getBoolean("page_incident_commander"),
                        executives == null ? null : Duration.parse(executives)),
                IncidentState.parse(rs.getString("state")).orElseThrow(),
                rs.getString("reason"),
                rs.getString("resolution"),
                rs.getString("process_instance_id"),
                instant(rs.getTimestamp("opened_at")),
                instant(rs.getTimestamp("updated_at")),
                instant(rs.getTimestamp("resolved_at")),
                instant(rs.getTimestamp("closed_at")));
    }

    private String write(Object detail) {
        return StoredDetail.write(json, detail, "timeline detail");
    }

    private JsonNode read(String text) {
        return StoredDetail.read(json, text, "timeline detail");
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
