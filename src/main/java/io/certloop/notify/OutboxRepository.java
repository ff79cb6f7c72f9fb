package io.certloop.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The notification outbox, table {@code notification_outbox}; recipients are comma-separated. */
@Repository
class OutboxRepository {

    private static final String COLUMNS =
            "id, incident_id, kind, recipients, subject, body, status, failure_reason, created_at";

    private final JdbcTemplate jdbc;

    OutboxRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Notification n, List<String> recipients, DeliveryStatus status, String failureReason, Instant now) {
        jdbc.update(
                "INSERT INTO notification_outbox (incident_id, kind, recipients, subject, body, status, failure_reason, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                n.incidentId(),
                n.kind(),
                cut(String.join(",", recipients), 4000),
                cut(n.subject(), 500),
                cut(n.body(), 16000),
                status.name(),
                cut(failureReason, 2000),
                Timestamp.from(now));
    }

    List<OutboxEntry> list(String incidentId) {
        return list(incidentId, 0, Integer.MAX_VALUE);
    }

    /** Newest first, {@code limit} rows after skipping {@code offset}. */
    List<OutboxEntry> list(String incidentId, int offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM notification_outbox");
        List<Object> args = new ArrayList<>();
        if (incidentId != null) {
            sql.append(" WHERE incident_id = ?");
            args.add(incidentId);
        }
        sql.append(" ORDER BY id DESC");
        if (limit < Integer.MAX_VALUE) {
            sql.append(" OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
            args.add(offset);
            args.add(limit);
        }
        return jdbc.query(sql.toString(), this::map, args.toArray());
    }

    private OutboxEntry map(ResultSet rs, int row) throws SQLException {
        String recipients = rs.getString("recipients");
        return new OutboxEntry(
                rs.getLong("id"),
                rs.getString("incident_id"),
                rs.getString("kind"),
                recipients == null || recipients.isEmpty() ? List.of() : Arrays.asList(recipients.split(",")),
                rs.getString("subject"),
                rs.getString("body"),
                DeliveryStatus.valueOf(rs.getString("status")),
                rs.getString("failure_reason"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
