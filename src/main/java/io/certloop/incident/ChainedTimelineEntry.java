package io.certloop.incident;

import java.time.Instant;

/** A timeline row as stored, with its hashes, for verifying its chain: the detail as its stored text. */
public record ChainedTimelineEntry(
        long id,
        String incidentId,
        Instant at,
        String type,
        String actor,
        String detail,
        String previousHash,
        String hash) {}
