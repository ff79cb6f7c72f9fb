package io.certloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.incident.IncidentService;
import io.certloop.support.PostgresIntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Timeline rows written before chaining (V70) get their hashes once: an incident with two such rows and one entry
 * appended since (whose chain started at the genesis without them) is chained again as a whole, in row order, and
 * verifies. A hash removed afterwards is not blessed by the next start's backfill: verification names the row.
 */
class ChainBackfillIT extends PostgresIntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private IncidentService incidents;

    @Autowired
    private ChainBackfill backfill;

    @Autowired
    private ChainVerifier verifier;

    @Autowired
    private TransactionTemplate transactions;

    private final String id = "BKF-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void removeRows() {
        jdbc.update("DELETE FROM incident_timeline WHERE incident_id = ?", id);
        jdbc.update("DELETE FROM audit_chain_head WHERE chain = 'incident' AND chain_id = ?", id);
        jdbc.update("DELETE FROM audit_backfill WHERE chain_id = ?", id);
        jdbc.update("DELETE FROM incident WHERE id = ?", id);
    }

    @Test
    void rowsFromBeforeChainingAreChainedOnceAndNeverAgain() {
        Instant opened = Instant.parse("2026-01-05T08:00:00.123456Z");
        jdbc.update(
                "INSERT INTO incident (id, category, endpoint, tier, environment, severity, response_sla, "
                        + "update_cadence, page_incident_commander, state, reason, opened_at, updated_at) "
                        + "VALUES (?, 'expiry', 'backfill-web', 2, 'production', 'SEV3', 'PT4H', 'PT1H', false, "
                        + "'open', 'r', ?, ?)",
                id,
                Timestamp.from(opened),
                Timestamp.from(opened));
        for (String type : new String[] {"opened", "process-attached"}) {
            jdbc.update(
                    "INSERT INTO incident_timeline (incident_id, occurred_at, entry_type, actor, detail) "
                            + "VALUES (?, ?, ?, 'certloop', '{\"before\":\"V70\"}')",
                    id,
                    Timestamp.from(opened),
                    type);
        }
        // written after V70: chained, but its chain knows nothing of the two rows before it
        transactions.executeWithoutResult(status -> incidents.record(id, "owner-recorded", Map.of("owner", "web")));
        Verification before = verifier.verify("incident", id);
        assertThat(before.valid()).isFalse();
        // what migration V71 lists
        jdbc.update("INSERT INTO audit_backfill (chain, chain_id) VALUES ('incident', ?)", id);

        backfill.backfill();

        Verification after = verifier.verify("incident", id);
        assertThat(after.valid()).as(after.toString()).isTrue();
        assertThat(after.checked()).isEqualTo(3);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM incident_timeline WHERE incident_id = ? AND entry_hash IS NULL",
                        Integer.class,
                        id))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_backfill WHERE chain_id = ?", Integer.class, id))
                .as("taken off the list")
                .isZero();
        transactions.executeWithoutResult(status -> incidents.record(id, "owner-recorded", Map.of("owner", "db")));
        assertThat(verifier.verify("incident", id).valid())
                .as("appends continue the backfilled chain")
                .isTrue();

        Long first = jdbc.queryForObject("SELECT MIN(id) FROM incident_timeline WHERE incident_id = ?", Long.class, id);
        jdbc.update(
                "UPDATE incident_timeline SET detail = '{\"before\":\"rewritten\"}', prev_hash = NULL, entry_hash = NULL "
                        + "WHERE id = ?",
                first);
        backfill.backfill();
        Verification tampered = verifier.verify("incident", id);
        assertThat(tampered.valid()).isFalse();
        assertThat(tampered.failures().get(0).entries())
                .extracting(Verification.EntryFailure::entry)
                .contains(String.valueOf(first));
    }
}
