package io.certloop.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the audit trail for {@code certloop.audit.retention} (default seven years) and no longer. Camunda's history
 * cleanup removes the engine's history on its own schedule (removal-time based, {@code historyTimeToLive} of each
 * process); CertLoop's tables do not depend on it. This job deletes only whole records: an incident closed before
 * the cut-off with everything kept for it (its timeline and the timeline's hash chain head, notifications, alert
 * links, break-glass requests and approvals), and a policy exception that ended (rejected, expired, revoked) before
 * it, with its decision history. A chain is never cut in the middle, so every chain left verifies from its genesis.
 * Open and resolved incidents and running exceptions are kept, however old.
 */
@Component
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
    private static final int BATCH = 200;

    private final JdbcTemplate jdbc;
    private final AuditProperties properties;
    private final Clock clock;
    private final TransactionTemplate transaction;

    AuditRetention(
            JdbcTemplate jdbc, AuditProperties properties, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Scheduled(cron = "${certloop.audit.retention-schedule:0 40 3 * * *}")
    void scheduled() {
        Result result = deleteExpired();
        if (result.incidents() > 0 || result.exceptions() > 0) {
            log.info(
                    "Audit retention ({}): deleted {} incidents closed and {} exceptions ended before {}",
                    properties.retention(),
                    result.incidents(),
                    result.exceptions(),
                    result.cutoff());
        }
    }

    /** What one run deleted. */
    record Result(Instant cutoff, int incidents, int exceptions) {}

    /** The instant before which closed records are deleted: now minus the retention period (calendar, UTC). */
    Instant cutoff() {
        return clock.instant()
                .atZone(ZoneOffset.UTC)
                .minus(properties.retention())
                .toInstant();
    }

    /** Deletes every closed incident and ended exception older than the retention, in batches. */
    Result deleteExpired() {
        Instant cutoff = cutoff();
        int incidents = deleteInBatches(
                "SELECT id FROM incident WHERE state = 'closed' AND closed_at < ? ORDER BY closed_at, id",
                cutoff,
                this::deleteIncident);
        int exceptions = deleteInBatches(
                "SELECT id FROM policy_exception WHERE state IN ('rejected', 'expired', 'revoked') "
                        + "AND COALESCE(ended_at, decided_at, updated_at) < ? ORDER BY id",
                cutoff,
                this::deleteException);
        return new Result(cutoff, incidents, exceptions);
    }

    /** Deletes what the query finds before the cutoff, each record in a transaction of its own; how many. */
    private int deleteInBatches(String query, Instant cutoff, Consumer<String> delete) {
        int deleted = 0;
        List<String> batch;
        do {
            batch = jdbc.queryForList(
                    query + " FETCH FIRST " + BATCH + " ROWS ONLY", String.class, Timestamp.from(cutoff));
            for (String id : batch) {
                transaction.executeWithoutResult(status -> delete.accept(id));
                deleted++;
            }
        } while (batch.size() == BATCH);
        return deleted;
    }

    private void deleteIncident(String id) {
        // the incident row first, locked: an append to its timeline (which locks it too) waits and then fails
        jdbc.query("SELECT id FROM incident WHERE id = ? FOR UPDATE", rs -> null, id);
        jdbc.update(
                "DELETE FROM break_glass_approval WHERE break_glass_id IN (SELECT id FROM break_glass WHERE incident_id = ?)",
                id);
        jdbc.update("DELETE FROM break_glass WHERE incident_id = ?", id);
        jdbc.update("DELETE FROM incident_alert WHERE incident_id = ?", id);
        jdbc.update("DELETE FROM notification_outbox WHERE incident_id = ?", id);
        jdbc.update("DELETE FROM incident_timeline WHERE incident_id = ?", id);
        jdbc.update("DELETE FROM audit_chain_head WHERE chain = 'incident' AND chain_id = ?", id);
        jdbc.update("DELETE FROM audit_backfill WHERE chain = 'incident' AND chain_id = ?", id);
        jdbc.update("DELETE FROM incident WHERE id = ?", id);
    }

    private void deleteException(String id) {
        jdbc.query("SELECT id FROM policy_exception WHERE id = ? FOR UPDATE", rs -> null, id);
        jdbc.update("DELETE FROM policy_exception_event WHERE exception_id = ?", id);
        jdbc.update("DELETE FROM audit_chain_head WHERE chain = 'exception' AND chain_id = ?", id);
        jdbc.update("DELETE FROM policy_exception WHERE id = ?", id);
    }
}
