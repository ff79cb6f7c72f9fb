package io.certloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.PostgresIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Retention on PostgreSQL. Camunda's history cleanup is configured (removal-time based, a nightly window, its job
 * scheduled) and really removes a finished runbook's history; the incident's evidence then still exports whole from
 * CertLoop's own tables and says the engine's history is gone. CertLoop's retention job deletes only whole chains
 * of incidents closed (and exceptions ended) before {@code certloop.audit.retention}, and every chain left verifies.
 */
class RetentionIT extends PostgresIntegrationTest {

    @Autowired
    private HistoryService history;

    @Autowired
    private ProcessEngineConfiguration engineConfiguration;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private AuditRetention retention;

    @Autowired
    private ChainBackfill backfill;

    @Autowired
    private ChainVerifier verifier;

    private ApiClient auditor;
    private ApiClient operator;
    private ApiClient commander;

    @BeforeEach
    void users() {
        admin.ensureUser("retention-auditor", "retention-auditor-pw", "auditors");
        admin.ensureUser("retention-operator", "retention-operator-pw", "operators");
        admin.ensureUser("retention-commander", "retention-commander-pw", "incident-commanders");
        auditor = admin.withUser("retention-auditor", "retention-auditor-pw");
        operator = admin.withUser("retention-operator", "retention-operator-pw");
        commander = admin.withUser("retention-commander", "retention-commander-pw");
    }

    @Test
    void historyCleanupIsConfiguredAndScheduled() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engineConfiguration;
        assertThat(configuration.getHistoryCleanupStrategy()).isEqualTo("removalTimeBased");
        assertThat(configuration.getHistoryCleanupBatchWindowStartTime()).isEqualTo("01:00");
        assertThat(configuration.getHistoryCleanupBatchWindowEndTime()).isEqualTo("05:00");
        assertThat(history.findHistoryCleanupJobs())
                .as("the cleanup job the engine runs in its window")
                .isNotEmpty();
    }

    @Test
    void anIncidentWhoseProcessHistoryWasCleanedUpStillExportsWhole() throws Exception {
        String id = closedIncident();
        JsonNode before = auditor.get("/api/incidents/" + id + "/evidence").json();
        String processInstanceId =
                before.path("incident").path("processInstanceId").asText();
        assertThat(before.path("processHistory").path("available").asBoolean()).isTrue();
        assertThat(before.path("activityHistory")).isNotEmpty();

        // the engine's own cleanup: the instance's removal time moved into the past, then a cleanup run now
        Batch batch = history.setRemovalTimeToHistoricProcessInstances()
                .absoluteRemovalTime(Date.from(Instant.now().minusSeconds(3600)))
                .byIds(processInstanceId)
                .hierarchical()
                .executeAsync();
        Await.until(
                Duration.ofSeconds(60),
                () -> history.createHistoricBatchQuery()
                                        .batchId(batch.getId())
                                        .completed(true)
                                        .count()
                                > 0
                        ? true
                        : null);
        history.cleanUpHistoryAsync(true);
        Await.until(
                Duration.ofSeconds(90),
                () -> history.createHistoricProcessInstanceQuery()
                                        .processInstanceId(processInstanceId)
                                        .count()
                                == 0
                        ? true
                        : null);

        ApiClient.Response response = auditor.get("/api/incidents/" + id + "/evidence");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode after = response.json();
        assertThat(after.path("processHistory").path("available").asBoolean()).isFalse();
        assertThat(after.path("processHistory").path("note").asText()).contains("history cleanup");
        assertThat(after.path("activityHistory")).isEmpty();
        assertThat(after.path("timeline")).isEqualTo(before.path("timeline"));
        assertThat(after.path("verification").path("valid").asBoolean()).isTrue();
        assertThat(after.path("incident")).isEqualTo(before.path("incident"));
        assertThat(after.path("notifications")).isEqualTo(before.path("notifications"));
        ApiClient.Response page = auditor.get("/api/incidents/" + id + "/evidence.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(id, "retention-commander", "history cleanup");
    }

    @Test
    void theRetentionJobDeletesOnlyWholeChainsOlderThanTheRetention() {
        String prefix = "RET-" + UUID.randomUUID().toString().substring(0, 8);
        Instant old = Instant.parse("2012-03-01T00:00:00Z");
        String expired = prefix + "-old";
        String stillOpen = prefix + "-open";
        String recent = prefix + "-recent";
        incident(expired, "closed", old, old.plusSeconds(600));
        incident(stillOpen, "open", old, null);
        incident(recent, "closed", old, Instant.now().minus(Duration.ofDays(30)));
        for (String id : new String[] {expired, stillOpen, recent}) {
            jdbc.update(
                    "INSERT INTO incident_timeline (incident_id, occurred_at, entry_type, actor, detail) "
                            + "VALUES (?, ?, 'opened', 'certloop', '{}')",
                    id,
                    Timestamp.from(old));
            jdbc.update("INSERT INTO audit_backfill (chain, chain_id) VALUES ('incident', ?)", id);
            jdbc.update(
                    "INSERT INTO notification_outbox (incident_id, kind, recipients, subject, body, status, created_at) "
                            + "VALUES (?, 'opened', 'x@example.test', 's', 'b', 'SENT', ?)",
                    id,
                    Timestamp.from(old));
        }
        backfill.backfill();
        String endedException = prefix + "-exc";
        jdbc.update(
                "INSERT INTO policy_exception (id, endpoint, finding_code, reason, compensating_controls, state, "
                        + "requested_by, requested_at, requested_expires_at, expires_at, ended_at, updated_at) "
                        + "VALUES (?, 'e', 'EXPIRED', 'r', 'c', 'expired', 'someone', ?, ?, ?, ?, ?)",
                endedException,
                Timestamp.from(old),
                Timestamp.from(old),
                Timestamp.from(old),
                Timestamp.from(old),
                Timestamp.from(old));
        jdbc.update(
                "INSERT INTO policy_exception_event (exception_id, occurred_at, event_type, actor, detail) "
                        + "VALUES (?, ?, 'expired', 'certloop', '{}')",
                endedException,
                Timestamp.from(old));

        AuditRetention.Result result = retention.deleteExpired();

        assertThat(result.cutoff()).isBefore(Instant.now().minus(Duration.ofDays(6 * 365)));
        assertThat(count("incident", "id", expired)).isZero();
        assertThat(count("incident_timeline", "incident_id", expired)).isZero();
        assertThat(count("notification_outbox", "incident_id", expired)).isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM audit_chain_head WHERE chain_id = ?", Integer.class, expired))
                .isZero();
        assertThat(count("policy_exception", "id", endedException)).isZero();
        assertThat(count("policy_exception_event", "exception_id", endedException))
                .isZero();
        for (String kept : new String[] {stillOpen, recent}) {
            assertThat(count("incident", "id", kept)).as(kept).isOne();
            assertThat(count("incident_timeline", "incident_id", kept)).as(kept).isOne();
            assertThat(verifier.verify("incident", kept).valid()).as(kept).isTrue();
        }
        assertThat(verifier.verifyAll().failures())
                .as("no chain of a deleted incident is left behind")
                .noneMatch(f -> f.chainId().equals(expired));
        jdbc.update("DELETE FROM notification_outbox WHERE incident_id LIKE ?", prefix + "%");
        jdbc.update("DELETE FROM incident_timeline WHERE incident_id LIKE ?", prefix + "%");
        jdbc.update("DELETE FROM audit_chain_head WHERE chain_id LIKE ?", prefix + "%");
        jdbc.update("DELETE FROM incident WHERE id LIKE ?", prefix + "%");
    }

    private int count(String table, String column, String value) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?", Integer.class, value);
    }

    private void incident(String id, String state, Instant opened, Instant closed) {
        jdbc.update(
                "INSERT INTO incident (id, category, endpoint, tier, environment, severity, response_sla, "
                        + "update_cadence, page_incident_commander, state, reason, opened_at, updated_at, resolved_at, "
                        + "closed_at) VALUES (?, 'expiry', 'retention-web', 2, 'production', 'SEV3', 'PT4H', 'PT1H', "
                        + "false, ?, 'r', ?, ?, ?, ?)",
                id,
                state,
                Timestamp.from(opened),
                Timestamp.from(opened),
                closed == null ? null : Timestamp.from(closed),
                closed == null ? null : Timestamp.from(closed));
    }

    /** An incident a person closed: opened by an operator, nothing listens, the commander reviews it. */
    private String closedIncident() throws Exception {
        String endpoint = ReviewedIncidents.endpoint(admin, "retention");
        String id = ReviewedIncidents.open(operator, endpoint, "retention test");
        JsonNode task = ReviewedIncidents.reviewTask(commander, id);
        ReviewedIncidents.completeReview(commander, admin, id, task, "retention");
        // the process instance ends right after the incident closes
        Await.until(
                Duration.ofSeconds(30),
                () -> history.createHistoricProcessInstanceQuery()
                                        .processInstanceBusinessKey(id)
                                        .finished()
                                        .count()
                                > 0
                        ? true
                        : null);
        return id;
    }
}
