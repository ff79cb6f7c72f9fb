package io.certloop.audit;

import io.certloop.incident.ChainedTimelineEntry;
import io.certloop.incident.TimelineRecords;
import io.certloop.incident.TimelineSeal;
import java.time.Instant;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Incident timelines as hash chains, one per incident: the rows read back for verification. Appends are sealed by
 * {@link Seals}; incidents know nothing of chains.
 */
@Component
class IncidentTimelineChain implements ChainSource {

    /** The chain name of incident timelines. */
    static final String CHAIN = "incident";

    private final TimelineRecords records;

    IncidentTimelineChain(TimelineRecords records) {
        this.records = records;
    }

    /** The incident package's {@link TimelineSeal} port: each timeline append joins its incident's chain. */
    @Component
    static class Seals implements TimelineSeal {

        private final AuditChain chains;

        Seals(AuditChain chains) {
            this.chains = chains;
        }

        @Override
        public Seal seal(String incidentId, Instant at, String type, String actor, String detail) {
            ChainLink link = chains.extend(new ChainEntry(CHAIN, incidentId, at, type, actor, detail));
            return new Seal(link.previousHash(), link.hash());
        }
    }

    @Override
    public String chain() {
        return CHAIN;
    }

    @Override
    public void forEachEntry(Consumer<StoredEntry> consumer) {
        records.forEach(null, entry -> consumer.accept(stored(entry)));
    }

    @Override
    public void forEachEntry(String chainId, Consumer<StoredEntry> consumer) {
        records.forEach(chainId, entry -> consumer.accept(stored(entry)));
    }

    @Override
    public void relink(String ref, ChainLink link) {
        records.relink(Long.parseLong(ref), link.previousHash(), link.hash());
    }

    private static StoredEntry stored(ChainedTimelineEntry entry) {
        return new StoredEntry(
                Long.toString(entry.id()),
                new ChainEntry(CHAIN, entry.incidentId(), entry.at(), entry.type(), entry.actor(), entry.detail()),
                entry.previousHash(),
                entry.hash());
    }
}
