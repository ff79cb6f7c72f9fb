package io.certloop.incident;

import java.time.Instant;

/**
 * Seals each timeline entry into its incident's tamper-evident hash chain, inside the transaction that appends it.
 * A port: the audit package implements it, so incidents know nothing of how chains are kept and authenticated.
 */
public interface TimelineSeal {

    /**
     * Joins the entry, exactly as it will be stored ({@code at} already cut to microseconds), to the end of its
     * incident's chain; the entry's row then stores the two hashes.
     */
    Seal seal(String incidentId, Instant at, String type, String actor, String detail);

    /** Where the entry joins its chain: the hash of the entry before it, and its own. */
    record Seal(String previousHash, String hash) {}
}
