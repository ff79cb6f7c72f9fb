package io.certloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.incident.IncidentService;
import io.certloop.incident.OpenIncident;
import io.certloop.incident.TimelineEntry;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tamper evidence on the real PostgreSQL: one SQL UPDATE to a timeline row, and a rewrite that
 * also recomputes every plain hash, are both named by {@code GET /api/audit/verify}; concurrent
 * appends to one incident never fork its chain.
 */
class AuditChainIT extends PostgresIntegrationTest {

    @Autowired
    private IncidentService incidents;

    @Autowired
    private ChainVerifier verifier;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private TransactionTemplate transactions;

    private ApiClient auditor;
    private ApiClient operator;

    @BeforeEach
    void users() {
        admin.ensureUser("audrey", "audrey-pw", "auditors");
        admin.ensureUser("olivia", "olivia-pw", "operators");
        auditor = admin.withUser("audrey", "audrey-pw");
        operator = admin.withUser("olivia", "olivia-pw");
    }

    @Test
    void oneSqlUpdateToATimelineRowIsNamedByVerify() {
        String id = incidentWithEntries();
        assertThat(verifier.verify("incident", id).valid()).isTrue();
        JsonNode before = auditor.get("/api/audit/verify").json();
        assertThat(before.path("valid").asBoolean()).as(before.toString()).isTrue();
        assertThat(before.path("checked").asLong()).isGreaterThanOrEqualTo(4);

        TimelineEntry victim = incidents.timeline(id).get(1);
        String original =
                jdbc.queryForObject("SELECT detail FROM incident_timeline WHERE id = ?", String.class, victim.id());
        jdbc.update("UPDATE incident_timeline SET detail = ? WHERE id = ?", "{\"sha256\":\"00ff\"}", victim.id());
        try {
            JsonNode after = auditor.get("/api/audit/verify").json();
            assertThat(after.path("valid").asBoolean()).isFalse();
            JsonNode failure = failureOf(after, id);
            assertThat(failure.path("incidentId").asText()).isEqualTo(id);
            assertThat(failure.path("entries").findValuesAsText("entry")).containsExactly(String.valueOf(victim.id()));
        } finally {
            jdbc.update("UPDATE incident_timeline SET detail = ? WHERE id = ?", original, victim.id());
        }
        assertThat(auditor.get("/api/audit/verify").json().path("valid").asBoolean())
                .isTrue();
    }

    @Test
    void rewritingARowAndRecomputingEveryPlainHashIsCaughtByTheAuthenticatedHead() {
        String id = incidentWithEntries();
        List<Map<String, Object>> saved = jdbc.queryForList(
                "SELECT id, actor, prev_hash, entry_hash FROM incident_timeline WHERE incident_id = ? ORDER BY id", id);
        Map<String, Object> head = jdbc.queryForMap(
                "SELECT head_hash, mac FROM audit_chain_head WHERE chain = 'incident' AND chain_id = ?", id);
        // the attacker knows the hashing scheme (it is in the source) but not the custody key
        transactions.executeWithoutResult(status -> {
            jdbc.query("SELECT id FROM incident WHERE id = ? FOR UPDATE", rs -> null, id);
            String previous = ChainEntry.GENESIS;
            boolean first = true;
            for (Map<String, Object> row : jdbc.queryForList(
                    "SELECT id, occurred_at, entry_type, actor, detail "
                            + "FROM incident_timeline WHERE incident_id = ? ORDER BY id",
                    id)) {
                String actor = first ? "mallory" : (String) row.get("actor");
                first = false;
                String hash = new ChainEntry(
                                "incident",
                                id,
                                ((Timestamp) row.get("occurred_at")).toInstant(),
                                (String) row.get("entry_type"),
                                actor,
                                (String) row.get("detail"))
                        .hash(previous);
                jdbc.update(
                        "UPDATE incident_timeline SET actor = ?, prev_hash = ?, entry_hash = ? WHERE id = ?",
                        actor,
                        previous,
                        hash,
                        row.get("id"));
                previous = hash;
            }
            jdbc.update(
                    "UPDATE audit_chain_head SET head_hash = ? WHERE chain = 'incident' AND chain_id = ?",
                    previous,
                    id);
        });
        try {
            assertThat(verifier.verify("incident", id).failures())
                    .singleElement()
                    .satisfies(f -> assertThat(f.head()).contains("MAC"));
            JsonNode after = auditor.get("/api/audit/verify").json();
            assertThat(after.path("valid").asBoolean()).isFalse();
            assertThat(failureOf(after, id).path("head").asText()).contains("MAC");
        } finally {
            for (Map<String, Object> row : saved) {
                jdbc.update(
                        "UPDATE incident_timeline SET actor = ?, prev_hash = ?, entry_hash = ? WHERE id = ?",
                        row.get("actor"),
                        row.get("prev_hash"),
                        row.get("entry_hash"),
                        row.get("id"));
            }
            jdbc.update(
                    "UPDATE audit_chain_head SET head_hash = ?, mac = ? WHERE chain = 'incident' AND chain_id = ?",
                    head.get("head_hash"),
                    head.get("mac"),
                    id);
        }
        assertThat(verifier.verify("incident", id).valid()).isTrue();
    }

    @Test
    void deletingTheLastEntryIsCaught() {
        String id = incidentWithEntries();
        TimelineEntry last = incidents.timeline(id).get(incidents.timeline(id).size() - 1);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM incident_timeline WHERE id = ?", last.id());
        jdbc.update("DELETE FROM incident_timeline WHERE id = ?", last.id());
        try {
            assertThat(verifier.verify("incident", id).failures())
                    .singleElement()
                    .satisfies(f -> assertThat(f.head()).contains("entries"));
        } finally {
            jdbc.update(
                    "INSERT INTO incident_timeline (id, incident_id, occurred_at, entry_type, actor, detail, prev_hash, "
                            + "entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    row.get("id"),
                    row.get("incident_id"),
                    row.get("occurred_at"),
                    row.get("entry_type"),
                    row.get("actor"),
                    row.get("detail"),
                    row.get("prev_hash"),
                    row.get("entry_hash"));
        }
        assertThat(verifier.verify("incident", id).valid()).isTrue();
    }

    @Test
    void concurrentAppendsToOneIncidentDoNotForkItsChain() throws Exception {
        String id = incidentWithEntries();
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < 5; k++) {
                        incidents.record(id, "probe", Map.of("writer", n, "k", k));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Verification verification = verifier.verify("incident", id);
        assertThat(verification.failures()).isEmpty();
        assertThat(verification.checked()).isGreaterThanOrEqualTo(4 + writers * 5);
        List<TimelineEntry> timeline = incidents.timeline(id);
        assertThat(timeline).extracting(TimelineEntry::previousHash).doesNotHaveDuplicates();
    }

    @Test
    void onlyAuditorsAndAdministratorsMayVerify() {
        assertThat(operator.get("/api/audit/verify").status()).isEqualTo(403);
        assertThat(anonymous.get("/api/audit/verify").status()).isEqualTo(401);
        assertThat(admin.get("/api/audit/verify").status()).isEqualTo(200);
    }

    private static JsonNode failureOf(JsonNode verification, String incidentId) {
        for (JsonNode failure : verification.path("failures")) {
            if (incidentId.equals(failure.path("chainId").asText())) {
                return failure;
            }
        }
        throw new AssertionError("verify does not name " + incidentId + ": " + verification);
    }

    private String incidentWithEntries() {
        String id = incidents
                .open(new OpenIncident(endpoint(), "ca-outage", null, "CA down", "operator", "olivia", Map.of()))
                .incident()
                .id();
        incidents.record(id, "probe", Map.of("sha256", "ab12"));
        incidents.record(id, "probe", Map.of("sha256", "cd34"));
        incidents.record(id, "note", "olivia", Map.of("text", "looked at it"));
        settled(id);
        return id;
    }

    /** Every category has a runbook now: wait until it waits (no executable job, timeline unchanged), so rows stay put. */
    private void settled(String id) {
        try {
            io.certloop.support.Await.until(java.time.Duration.ofSeconds(60), () -> {
                String pid = incidents.get(id).processInstanceId();
                int before = incidents.timeline(id).size();
                long jobs = pid == null
                        ? 0
                        : admin.get("/engine-rest/job/count?executable=true&processInstanceId=" + pid)
                                .json()
                                .path("count")
                                .asLong();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return jobs == 0 && incidents.timeline(id).size() == before ? true : null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String endpoint() {
        String name = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> request = new HashMap<>();
        request.put("name", name);
        request.put("host", name + ".example.test");
        request.put("port", 443);
        request.put("tier", 2);
        request.put("environment", "production");
        request.put("replacementPath", "manual");
        request.put("profile", "standard");
        var created = admin.post("/api/inventory/endpoints", request);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return name;
    }
}
