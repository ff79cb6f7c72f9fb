package io.certloop.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chains the entries written before their table was chained (timeline rows from before V70). The chains to do
 * were listed once, by migration V71, in {@code audit_backfill}; at start each is chained again from the genesis
 * in row order (entries appended since V70 included, since their chain started without the older rows), its head
 * authenticated, and it is taken off the list, all in one transaction per chain. Nothing else puts a chain on the
 * list, so a hash deleted later is never blessed again by a restart: verification keeps naming the row.
 */
@Component
class ChainBackfill implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ChainBackfill.class);

    private final JdbcTemplate jdbc;
    private final AuditChain chains;
    private final ChainVerifier verifier;
    private final TransactionTemplate transaction;

    ChainBackfill(
            JdbcTemplate jdbc, AuditChain chains, ChainVerifier verifier, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.chains = chains;
        this.verifier = verifier;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public void run(ApplicationArguments args) {
        int chained = backfill();
        if (chained > 0) {
            log.info("Chained {} audit chains written before hash chaining (migration V71)", chained);
        }
    }

    /** Chains every listed chain; returns how many. A chain that fails stays listed for the next start. */
    int backfill() {
        int done = 0;
        List<Map<String, Object>> pending =
                jdbc.queryForList("SELECT chain, chain_id FROM audit_backfill ORDER BY chain, chain_id");
        for (Map<String, Object> row : pending) {
            String chain = (String) row.get("chain");
            String chainId = (String) row.get("chain_id");
            Optional<ChainSource> source = verifier.source(chain);
            if (source.isEmpty()) {
                log.warn("Audit backfill: no chain source named {} (chain {} stays listed)", chain, chainId);
                continue;
            }
            try {
                transaction.executeWithoutResult(status -> relink(source.get(), chain, chainId));
                done++;
            } catch (RuntimeException e) {
                log.error("Audit backfill of {} {} failed; it stays listed for the next start", chain, chainId, e);
            }
        }
        return done;
    }

    private void relink(ChainSource source, String chain, String chainId) {
        chains.restart(chain, chainId);
        List<StoredEntry> entries = new ArrayList<>();
        source.forEachEntry(chainId, entries::add);
        for (StoredEntry entry : entries) {
            source.relink(entry.ref(), chains.extend(entry.content()));
        }
        jdbc.update("DELETE FROM audit_backfill WHERE chain = ? AND chain_id = ?", chain, chainId);
    }
}
