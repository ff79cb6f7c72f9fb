package io.certloop.incident;

import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/** The timeline rows with their hashes, read back for verification (and hashed once if written before chaining). */
@Component
public class TimelineRecords {

    private final IncidentRepository repository;

    TimelineRecords(IncidentRepository repository) {
        this.repository = repository;
    }

    /** Every row of one incident ({@code incidentId}) or of all (null, streamed), by incident and then append order. */
    public void forEach(String incidentId, Consumer<ChainedTimelineEntry> consumer) {
        repository.forEachChained(incidentId, consumer);
    }

    /** Stores the hashes of a row written before timelines were chained (the one-time backfill). */
    public void relink(long entryId, String previousHash, String hash) {
        repository.relink(entryId, previousHash, hash);
    }
}
