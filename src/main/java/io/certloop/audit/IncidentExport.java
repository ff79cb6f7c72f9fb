package io.certloop.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.incident.IncidentService;
import io.certloop.incident.TimelineTypes;
import io.certloop.system.FieldError;
import io.certloop.system.InvalidRequestException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bulk export of {@code GET /api/audit/incidents}: one row per incident opened in {@code [from, to)}, as CSV
 * (RFC 4180, header row) or JSON Lines. One query joins incidents to their timelines, ordered by incident, and is
 * read through a database cursor ({@link #FETCH_SIZE} rows at a time; PostgreSQL only streams inside a transaction
 * with autocommit off, hence the read-only transaction); each incident's row is written as soon as its last
 * timeline entry has been read. Only one incident's entries are ever held, so a quarter of a large estate streams
 * in constant memory.
 *
 * <p>Phases, from the timeline (seconds, empty when the incident never reached the later point):
 * <ul>
 *   <li>{@code detectToAckSeconds}: opened until a person first acted on it (completed one of its runbook's tasks, or
 *       resolved or closed it by hand) before it was resolved;
 *   <li>{@code ackToResolvedSeconds}: that first action until resolved (the live endpoint verified, or a commander's
 *       word);
 *   <li>{@code detectToResolvedSeconds}: opened until resolved;
 *   <li>{@code resolvedToClosedSeconds}: resolved until closed (the post-incident review);
 *   <li>{@code detectToDeployedSeconds}: opened until the first certificate deployment.
 * </ul>
 * Actors: {@code approvers} completed an approval or confirmation task ({@code approve*}, {@code confirm*}),
 * {@code reviewers} a review task ({@code review*}); {@code people} is everyone but {@code certloop} on the timeline,
 * in order of first appearance. {@code outcome}: {@code open}; {@code verified-fixed} when a live probe verified the
 * endpoint; {@code resolved-by-person} when a person's word resolved it; {@code closed-unresolved} when it closed
 * without being resolved (not a certificate incident, closed by a commander); {@code resolved} otherwise.
 */
@Service
class IncidentExport {

    /** Rows fetched per round trip of the cursor. */
    static final int FETCH_SIZE = 500;

    static final List<String> COLUMNS = List.of(
            "incidentId",
            "processInstanceId",
            "category",
            "subcategory",
            "severity",
            "endpoint",
            "tier",
            "environment",
            "state",
            "openedAt",
            "resolvedAt",
            "closedAt",
            "detectToAckSeconds",
            "ackToResolvedSeconds",
            "detectToResolvedSeconds",
            "resolvedToClosedSeconds",
            "detectToDeployedSeconds",
            "openedBy",
            "approvers",
            "reviewers",
            "resolvedBy",
            "closedBy",
            "people",
            "outcome",
            "resolution");

    private static final String QUERY = "SELECT i.id, i.process_instance_id, i.category, i.subcategory, i.severity, "
            + "i.endpoint, i.tier, i.environment, i.state, i.resolution, i.opened_at, i.resolved_at, i.closed_at, "
            + "t.occurred_at, t.entry_type, t.actor, "
            + "CASE WHEN t.entry_type = '" + TimelineTypes.TASK_COMPLETED + "' THEN t.detail END AS task_detail "
            + "FROM incident i LEFT JOIN incident_timeline t ON t.incident_id = i.id "
            + "WHERE i.opened_at >= ? AND i.opened_at < ? ORDER BY i.opened_at, i.id, t.id";

    private static final Set<String> VERIFIED_TYPES =
            Set.of(TimelineTypes.DEPLOYMENT_VERIFIED, TimelineTypes.INVESTIGATION_VERIFIED);

    /** The export formats. */
    enum Format {
        CSV("text/csv", "csv"),
        JSONL("application/jsonl", "jsonl");

        final String mediaType;
        final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }
    }

    /** A validated request: incidents opened in {@code [from, to)}. */
    record Window(Instant from, Instant to, Format format) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TransactionTemplate readOnly;

    IncidentExport(JdbcTemplate jdbc, ObjectMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * Checks the parameters: {@code from} and {@code to} are ISO-8601 instants ({@code 2026-07-01T00:00:00Z}, an
     * offset allowed) or dates (midnight UTC), {@code to} not before {@code from}; {@code format} is {@code csv}
     * (the default) or {@code jsonl}. Every offending field is named.
     */
    static Window window(String from, String to, String format) {
        List<FieldError> errors = new ArrayList<>();
        Instant start = instant("from", from, errors);
        Instant end = instant("to", to, errors);
        if (start != null && end != null && end.isBefore(start)) {
            errors.add(new FieldError("to", "is before from"));
        }
        Format chosen = null;
        if (format == null || format.isBlank()) {
            chosen = Format.CSV;
        } else {
            try {
                chosen = Format.valueOf(format.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                errors.add(new FieldError("format", "must be csv or jsonl"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new Window(start, end, chosen);
    }

    private static Instant instant(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required (an ISO-8601 instant or date)"));
            return null;
        }
        String text = value.strip();
        try {
            return text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(
                    field, "is not an ISO-8601 instant or date (2026-07-01T00:00:00Z or 2026-07-01): " + text));
            return null;
        }
    }

    /** Writes the export to {@code out}; the stream is flushed, not closed. Returns the number of incidents. */
    long write(Window window, OutputStream out) {
        RowWriter writer = window.format() == Format.CSV ? new CsvWriter(out) : new JsonLinesWriter(out, json);
        writer.header();
        Aggregator aggregator = new Aggregator(writer);
        readOnly.executeWithoutResult(status -> jdbc.query(
                con -> {
                    PreparedStatement statement =
                            con.prepareStatement(QUERY, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                    statement.setFetchSize(FETCH_SIZE);
                    statement.setTimestamp(1, Timestamp.from(window.from()));
                    statement.setTimestamp(2, Timestamp.from(window.to()));
                    return statement;
                },
                (RowCallbackHandler) aggregator::accept));
        aggregator.finish();
        writer.flush();
        return aggregator.rows;
    }

    /** Folds consecutive rows of one incident into its export row. */
    private final class Aggregator {

        private final RowWriter writer;
        private Summary current;
        private long rows;

        Aggregator(RowWriter writer) {
            this.writer = writer;
        }

        void accept(ResultSet rs) throws SQLException {
            String id = rs.getString("id");
            if (current == null || !current.id.equals(id)) {
                finish();
                current = new Summary(rs);
            }
            Timestamp at = rs.getTimestamp("occurred_at");
            if (at != null) {
                current.entry(at.toInstant(), rs.getString("entry_type"), rs.getString("actor"), task(rs));
            }
        }

        private String task(ResultSet rs) throws SQLException {
            String detail = rs.getString("task_detail");
            if (detail == null) {
                return null;
            }
            try {
                JsonNode task = json.readTree(detail).path("task");
                return task.isTextual() ? task.asText() : null;
            } catch (IOException unreadable) {
                return null;
            }
        }

        void finish() {
            if (current != null) {
                writer.row(current.row());
                rows++;
                current = null;
            }
        }
    }

    /** What the export keeps of one incident while its timeline streams past. */
    private static final class Summary {

        final String id;
        final Map<String, Object> fields = new LinkedHashMap<>();
        final Instant opened;
        final Instant resolved;
        final Instant closed;
        final String state;
        Instant firstAction;
        Instant firstDeployment;
        boolean verified;
        String openedBy;
        String resolvedBy;
        String closedBy;
        final Set<String> approvers = new LinkedHashSet<>();
        final Set<String> reviewers = new LinkedHashSet<>();
        final Set<String> people = new LinkedHashSet<>();

        Summary(ResultSet rs) throws SQLException {
            id = rs.getString("id");
            opened = instant(rs.getTimestamp("opened_at"));
            resolved = instant(rs.getTimestamp("resolved_at"));
            closed = instant(rs.getTimestamp("closed_at"));
            state = rs.getString("state");
            fields.put("incidentId", id);
            fields.put("processInstanceId", rs.getString("process_instance_id"));
            fields.put("category", rs.getString("category"));
            fields.put("subcategory", rs.getString("subcategory"));
            fields.put("severity", rs.getString("severity"));
            fields.put("endpoint", rs.getString("endpoint"));
            fields.put("tier", rs.getInt("tier"));
            fields.put("environment", rs.getString("environment"));
            fields.put("state", state);
            fields.put("openedAt", opened);
            fields.put("resolvedAt", resolved);
            fields.put("closedAt", closed);
            fields.put("resolution", rs.getString("resolution"));
        }

        void entry(Instant at, String type, String actor, String task) {
            boolean person = actor != null && !IncidentService.SYSTEM_ACTOR.equals(actor);
            if (person) {
                people.add(actor);
            }
            switch (type) {
                case TimelineTypes.OPENED -> openedBy = actor;
                case TimelineTypes.RESOLVED -> resolvedBy = actor;
                case TimelineTypes.CLOSED -> closedBy = actor;
                case TimelineTypes.CERTIFICATE_DEPLOYED -> {
                    if (firstDeployment == null) {
                        firstDeployment = at;
                    }
                }
                case TimelineTypes.TASK_COMPLETED -> {
                    if (task != null && person) {
                        if (task.startsWith("approve") || task.startsWith("confirm")) {
                            approvers.add(actor);
                        } else if (task.startsWith("review")) {
                            reviewers.add(actor);
                        }
                    }
                }
                default -> {
                    if (VERIFIED_TYPES.contains(type)) {
                        verified = true;
                    }
                }
            }
            boolean acting = TimelineTypes.TASK_COMPLETED.equals(type)
                    || TimelineTypes.RESOLVED.equals(type)
                    || TimelineTypes.CLOSED.equals(type);
            if (person && acting && firstAction == null && (resolved == null || !at.isAfter(resolved))) {
                firstAction = at;
            }
        }

        Map<String, Object> row() {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String column : COLUMNS) {
                row.put(column, fields.get(column));
            }
            row.put("detectToAckSeconds", seconds(opened, firstAction));
            row.put("ackToResolvedSeconds", seconds(firstAction, resolved));
            row.put("detectToResolvedSeconds", seconds(opened, resolved));
            row.put("resolvedToClosedSeconds", seconds(resolved, closed));
            row.put("detectToDeployedSeconds", seconds(opened, firstDeployment));
            row.put("openedBy", openedBy);
            row.put("approvers", List.copyOf(approvers));
            row.put("reviewers", List.copyOf(reviewers));
            row.put("resolvedBy", resolvedBy);
            row.put("closedBy", closedBy);
            row.put("people", List.copyOf(people));
            row.put("outcome", outcome());
            return row;
        }

        private String outcome() {
            if ("open".equals(state)) {
                return "open";
            }
            if (verified) {
                return "verified-fixed";
            }
            if (resolved == null) {
                return "closed-unresolved";
            }
            return resolvedBy != null && !IncidentService.SYSTEM_ACTOR.equals(resolvedBy)
                    ? "resolved-by-person"
                    : "resolved";
        }

        private static Long seconds(Instant from, Instant to) {
            return from == null || to == null
                    ? null
                    : Duration.between(from, to).toSeconds();
        }

        private static Instant instant(Timestamp timestamp) {
            return timestamp == null ? null : timestamp.toInstant();
        }
    }

    private interface RowWriter {
        void header();

        void row(Map<String, Object> row);

        void flush();
    }

    /**
     * RFC 4180: CRLF line ends, a field in double quotes when it holds a comma, quote, CR or LF, quotes doubled.
     * Lists are joined with {@code ;}. A text field starting with {@code = + - @} or a tab gets a leading
     * {@code '} so that a spreadsheet shows it instead of evaluating it (reasons and resolutions come from alerts
     * and people).
     */
    static final class CsvWriter implements RowWriter {

        private final OutputStream out;
        private final StringBuilder line = new StringBuilder(512);

        CsvWriter(OutputStream out) {
            this.out = out;
        }

        @Override
        public void header() {
            for (String column : COLUMNS) {
                field(column, false);
            }
            end();
        }

        @Override
        public void row(Map<String, Object> row) {
            for (String column : COLUMNS) {
                Object value = row.get(column);
                if (value instanceof List<?> list) {
                    value = String.join(";", list.stream().map(String::valueOf).toList());
                }
                field(value == null ? "" : value.toString(), value instanceof String);
            }
            end();
        }

        private void field(String value, boolean text) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append(escape(value, text));
        }

        static String escape(String value, boolean text) {
            String safe = text && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
            if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\r') < 0 && safe.indexOf('\n') < 0) {
                return safe;
            }
            return '"' + safe.replace("\"", "\"\"") + '"';
        }

        private void end() {
            line.append("\r\n");
            try {
                out.write(line.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            line.setLength(0);
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One JSON object per line (JSON Lines), the same keys as the CSV header; lists as arrays. */
    private static final class JsonLinesWriter implements RowWriter {

        private final OutputStream out;
        private final ObjectMapper json;

        JsonLinesWriter(OutputStream out, ObjectMapper json) {
            this.out = out;
            this.json = json;
        }

        @Override
        public void header() {}

        @Override
        public void row(Map<String, Object> row) {
            try {
                out.write(json.writeValueAsBytes(row));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
