package io.certloop.rotation;

import io.certloop.audit.ChainLink;
import io.certloop.audit.ChainSource;
import io.certloop.audit.StoredEntry;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/** Rotation timelines as hash chains, one per rotation, for {@code GET /api/audit/verify}. */
@Component
class RotationTimelineChain implements ChainSource {

    private final RotationRepository repository;

    RotationTimelineChain(RotationRepository repository) {
        this.repository = repository;
    }

    @Override
    public String chain() {
        return RotationRepository.CHAIN;
    }

    @Override
    public void forEachEntry(Consumer<StoredEntry> consumer) {
        repository.forEachChained(null, consumer);
    }

    @Override
    public void forEachEntry(String chainId, Consumer<StoredEntry> consumer) {
        repository.forEachChained(chainId, consumer);
    }

    /** Rotation timelines were chained from their first entry: no row of theirs is ever listed for a backfill. */
    @Override
    public void relink(String ref, ChainLink link) {
        throw new IllegalStateException(
                "rotation timelines are chained when written; nothing to backfill (" + ref + ")");
    }
}
