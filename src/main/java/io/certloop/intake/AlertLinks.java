package io.certloop.intake;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Alertmanager alerts attached to incidents, in table {@code incident_alert}. An alert is one firing
 * episode: its fingerprint (the label set) and its {@code startsAt}. Alertmanager re-sends a firing
 * alert until Prometheus sees the fix, so the same episode arrives long after CertLoop resolved it.
 */
@Repository
class AlertLinks {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate savepoint;

    AlertLinks(JdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** The incident this alert episode was attached to for this endpoint, if any. */
    Optional<String> incidentFor(String fingerprint, Instant startsAt, String endpoint) {
        return jdbc
                .queryForList(
                        "SELECT incident_id FROM incident_alert WHERE fingerprint = ? AND starts_at = ? AND endpoint = ?",
                        String.class,
                        fingerprint,
                        Timestamp.from(micros(startsAt)),
                        endpoint)
                .stream()
                .findFirst();
    }

    /** Attaches the episode; a second attach of the same episode and endpoint keeps the first. */
    void attach(String fingerprint, Instant startsAt, String endpoint, String incidentId) {
        if (incidentFor(fingerprint, startsAt, endpoint).isPresent()) {
            return;
        }
        try {
            // under a savepoint: PostgreSQL would otherwise abort the whole transaction on a raced duplicate
            savepoint.executeWithoutResult(status -> jdbc.update(
                    "INSERT INTO incident_alert (fingerprint, starts_at, endpoint, incident_id, attached_at) VALUES (?, ?, ?, ?, ?)",
                    fingerprint,
                    Timestamp.from(micros(startsAt)),
                    endpoint,
                    incidentId,
                    Timestamp.from(clock.instant())));
        } catch (DuplicateKeyException raced) {
            // another node attached it first: both opened through the same one-open-incident rule
        }
    }

    /** Alertmanager sends nanoseconds; both databases keep microseconds. */
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
