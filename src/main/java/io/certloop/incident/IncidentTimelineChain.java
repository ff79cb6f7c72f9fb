package io.certloop.incident;

import io.certloop.audit.ChainLink;
import io.certloop.audit.ChainSource;
import io.certloop.audit.StoredEntry;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/** Incident timelines as hash chains, one per incident, for verification. */
@Component
class IncidentTimelineChain implements ChainSource {

    private final IncidentRepository repository;

    IncidentTimelineChain(IncidentRepository repository) {
        this.repository = repository;
    }

    @Override
    public String chain() {
        return IncidentRepository.CHAIN;
    }

    @Override
    public void forEachEntry(Consumer<StoredEntry> consumer) {
        repository.forEachChained(null, consumer);
    }

    @Override
    public void forEachEntry(String chainId, Consumer<StoredEntry> consumer) {
        repository.forEachChained(chainId, consumer);
    }

    @Override
    public void relink(String ref, ChainLink link) {
        repository.relink(Long.parseLong(ref), link);
    }
}
