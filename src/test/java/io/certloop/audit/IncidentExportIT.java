package io.certloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bulk export on PostgreSQL: incidents written with SQL at known times (a timeline as the runbooks write it,
 * chained by the backfill of rows written before chaining), exported as CSV and JSON Lines by an auditor; bad
 * parameters are named; 20,000 incidents stream out whole.
 */
class IncidentExportIT extends PostgresIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ChainBackfill backfill;

    @Autowired
    private ChainVerifier verifier;

    private final String prefix = "EXP-" + UUID.randomUUID().toString().substring(0, 8);
    private ApiClient auditor;
    private ApiClient operator;

    @BeforeEach
    void users() {
        admin.ensureUser("export-auditor", "export-auditor-pw", "auditors");
        admin.ensureUser("export-operator", "export-operator-pw", "operators");
        auditor = admin.withUser("export-auditor", "export-auditor-pw");
        operator = admin.withUser("export-operator", "export-operator-pw");
    }

    @AfterEach
    void removeRows() {
        String like = prefix + "%";
        jdbc.update("DELETE FROM incident_timeline WHERE incident_id LIKE ?", like);
        jdbc.update("DELETE FROM audit_chain_head WHERE chain = 'incident' AND chain_id LIKE ?", like);
        jdbc.update("DELETE FROM audit_backfill WHERE chain_id LIKE ?", like);
        jdbc.update("DELETE FROM incident WHERE id LIKE ?", like);
    }

    @Test
    void anAuditorExportsOneRowPerIncidentWithPhasesActorsAndOutcome() throws Exception {
        Instant t0 = Instant.parse("2021-02-03T10:00:00Z");
        String fixed = prefix + "-1";
        insertIncident(
                fixed,
                "expiry",
                null,
                "closed",
                "=HYPERLINK(\"x\"), users report \"errors\"\nsince 9:00",
                t0,
                t0.plusSeconds(100),
                t0.plusSeconds(400));
        timeline(fixed, t0, "opened", "export-olga", "{\"reason\":\"users report errors\"}");
        timeline(fixed, t0.plusSeconds(1), "process-attached", "certloop", "{}");
        timeline(
                fixed,
                t0.plusSeconds(60),
                "task-completed",
                "export-amy",
                "{\"task\":\"approveReplacementPlan\",\"form\":{\"approved\":true}}");
        timeline(fixed, t0.plusSeconds(90), "certificate-deployed", "certloop", "{\"attempt\":1}");
        timeline(fixed, t0.plusSeconds(100), "deployment-verified", "certloop", "{\"passed\":true}");
        timeline(fixed, t0.plusSeconds(100), "resolved", "certloop", "{\"summary\":\"verified\"}");
        timeline(
                fixed,
                t0.plusSeconds(400),
                "task-completed",
                "export-ian",
                "{\"task\":\"reviewResolvedIncident\",\"form\":{\"lessons\":\"x\"}}");
        timeline(fixed, t0.plusSeconds(400), "closed", "certloop", "{}");
        String open = prefix + "-2";
        insertIncident(
                open,
                "trust-mismatch",
                "intermediate-not-sent",
                "open",
                "chain incomplete",
                t0.plusSeconds(3600),
                null,
                null);
        insertIncident(prefix + "-0", "expiry", null, "open", "before the window", t0.minusSeconds(1), null, null);
        // the rows were written without hashes, as before V70: the backfill chains them
        jdbc.update("INSERT INTO audit_backfill (chain, chain_id) VALUES ('incident', ?)", fixed);
        backfill.backfill();
        assertThat(verifier.verify("incident", fixed).valid()).isTrue();

        String window = "from=2021-02-03T10:00:00Z&to=2021-02-04";
        ApiClient.Response csv = auditor.get("/api/audit/incidents?" + window + "&format=csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<List<String>> records = parseCsv(csv.body());
        assertThat(records.get(0)).startsWith("incidentId", "processInstanceId", "category", "subcategory");
        assertThat(records)
                .as("header and the two incidents opened in the window")
                .hasSize(3);
        Map<String, String> first = record(records, 1);
        assertThat(first)
                .containsEntry("incidentId", fixed)
                .containsEntry("processInstanceId", "pi-" + fixed)
                .containsEntry("category", "expiry")
                .containsEntry("subcategory", "")
                .containsEntry("severity", "SEV2")
                .containsEntry("endpoint", "export-web")
                .containsEntry("state", "closed")
                .containsEntry("openedAt", "2021-02-03T10:00:00Z")
                .containsEntry("resolvedAt", "2021-02-03T10:01:40Z")
                .containsEntry("closedAt", "2021-02-03T10:06:40Z")
                .containsEntry("detectToAckSeconds", "60")
                .containsEntry("ackToResolvedSeconds", "40")
                .containsEntry("detectToResolvedSeconds", "100")
                .containsEntry("resolvedToClosedSeconds", "300")
                .containsEntry("detectToDeployedSeconds", "90")
                .containsEntry("openedBy", "export-olga")
                .containsEntry("approvers", "export-amy")
                .containsEntry("reviewers", "export-ian")
                .containsEntry("resolvedBy", "certloop")
                .containsEntry("people", "export-olga;export-amy;export-ian")
                .containsEntry("outcome", "verified-fixed")
                .containsEntry("resolution", "'=HYPERLINK(\"x\"), users report \"errors\"\nsince 9:00");
        assertThat(csv.body())
                .as("RFC 4180: quotes doubled inside a quoted field")
                .contains("\"'=HYPERLINK(\"\"x\"\"), users report \"\"errors\"\"\nsince 9:00\"")
                .contains("\r\n");
        Map<String, String> second = record(records, 2);
        assertThat(second)
                .containsEntry("incidentId", open)
                .containsEntry("subcategory", "intermediate-not-sent")
                .containsEntry("outcome", "open")
                .containsEntry("detectToAckSeconds", "")
                .containsEntry("resolvedAt", "");

        ApiClient.Response jsonl = auditor.get("/api/audit/incidents?" + window + "&format=jsonl");
        assertThat(jsonl.status()).as(jsonl.body()).isEqualTo(200);
        String[] lines = jsonl.body().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode row = JSON.readTree(lines[0]);
        assertThat(row.path("incidentId").asText()).isEqualTo(fixed);
        assertThat(row.path("approvers").get(0).asText()).isEqualTo("export-amy");
        assertThat(row.path("reviewers").get(0).asText()).isEqualTo("export-ian");
        assertThat(row.path("ackToResolvedSeconds").asLong()).isEqualTo(40);
        assertThat(row.path("resolution").asText())
                .as("JSON carries the text as it is; only the CSV guards spreadsheets")
                .isEqualTo("=HYPERLINK(\"x\"), users report \"errors\"\nsince 9:00");
        assertThat(JSON.readTree(lines[1]).path("detectToAckSeconds").isNull()).isTrue();

        assertThat(operator.get("/api/audit/incidents?" + window).status()).isEqualTo(403);
        assertThat(anonymous.get("/api/audit/incidents?" + window).status()).isEqualTo(401);
        assertThat(admin.get("/api/audit/incidents?" + window).status()).isEqualTo(200);
    }

    @Test
    void badParametersAreNamed() {
        assertProblem("/api/audit/incidents?to=2021-01-01", "from");
        assertProblem("/api/audit/incidents?from=2021-01-01&to=yesterday", "to");
        assertProblem("/api/audit/incidents?from=2021-02-01&to=2021-01-01", "to");
        assertProblem("/api/audit/incidents?from=2021-01-01&to=2021-02-01&format=xml", "format");
        assertProblem("/api/audit/incidents?from=2021-13-01&to=2021-02-01T00:00:00Z", "from");
    }

    @Test
    void twentyThousandIncidentsStreamOutWhole() {
        jdbc.update(
                "INSERT INTO incident (id, category, endpoint, tier, environment, severity, response_sla, "
                        + "update_cadence, page_incident_commander, state, reason, opened_at, updated_at) "
                        + "SELECT ? || '-' || n, 'expiry', 'bulk-' || n, 2, 'production', 'SEV3', 'PT4H', 'PT1H', "
                        + "false, 'open', 'bulk, row ' || n, "
                        + "TIMESTAMP WITH TIME ZONE '2022-05-01 00:00:00+00' + n * INTERVAL '1 second', now() "
                        + "FROM generate_series(1, 20000) AS n",
                prefix);
        ApiClient.Response csv = auditor.get("/api/audit/incidents?from=2022-05-01&to=2022-05-02T00:00:00Z&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        List<List<String>> records = parseCsv(csv.body());
        assertThat(records).hasSize(20_001);
        assertThat(record(records, 20_000))
                .containsEntry("incidentId", prefix + "-20000")
                .containsEntry("resolution", "");
    }

    private void assertProblem(String path, String field) {
        ApiClient.Response response = auditor.get(path);
        assertThat(response.status()).as(path + " " + response.body()).isEqualTo(400);
        assertThat(response.json().path("field").asText()).as(path).isEqualTo(field);
    }

    private void insertIncident(
            String id,
            String category,
            String subcategory,
            String state,
            String resolution,
            Instant opened,
            Instant resolved,
            Instant closed) {
        jdbc.update(
                "INSERT INTO incident (id, category, subcategory, endpoint, tier, environment, severity, response_sla, "
                        + "update_cadence, page_incident_commander, state, reason, resolution, process_instance_id, "
                        + "opened_at, updated_at, resolved_at, closed_at) "
                        + "VALUES (?, ?, ?, 'export-web', 2, 'production', 'SEV2', 'PT4H', 'PT1H', false, ?, 'r', ?, ?, ?, ?, ?, ?)",
                id,
                category,
                subcategory,
                state,
                resolution,
                "pi-" + id,
                Timestamp.from(opened),
                Timestamp.from(opened),
                resolved == null ? null : Timestamp.from(resolved),
                closed == null ? null : Timestamp.from(closed));
    }

    private void timeline(String incidentId, Instant at, String type, String actor, String detail) {
        jdbc.update(
                "INSERT INTO incident_timeline (incident_id, occurred_at, entry_type, actor, detail) VALUES (?, ?, ?, ?, ?)",
                incidentId,
                Timestamp.from(at),
                type,
                actor,
                detail);
    }

    private static Map<String, String> record(List<List<String>> records, int index) {
        Map<String, String> map = new LinkedHashMap<>();
        List<String> header = records.get(0);
        for (int i = 0; i < header.size(); i++) {
            map.put(header.get(i), records.get(index).get(i));
        }
        return map;
    }

    /** An RFC 4180 reader: quoted fields may hold commas, CRLF and doubled quotes; records end with CRLF. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                current.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                current.add(field.toString());
                field.setLength(0);
                records.add(current);
                current = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(field).as("the last record ends with CRLF").isEmpty();
        assertThat(current).isEmpty();
        records.forEach(r -> assertThat(r).hasSize(records.get(0).size()));
        return records;
    }
}
