package io.certloop.audit;

import java.util.function.Consumer;

/**
 * A table of chained entries that {@code GET /api/audit/verify} checks. Each feature that keeps a
 * chain (incident timelines, exceptions, ...) registers one bean: it appends through
 * {@link AuditChain#extend} and reads its rows back here.
 */
public interface ChainSource {

    /** The chain name used with {@link AuditChain#extend}, e.g. {@code "incident"}. */
    String chain();

    /** Every entry, ordered by chain id and then by append order (streamed, not collected). */
    void forEachEntry(Consumer<StoredEntry> consumer);

    /** Entries of one chain id in append order. */
    void forEachEntry(String chainId, Consumer<StoredEntry> consumer);

    /**
     * Stores the hashes of an entry written before its table was chained ({@link ChainBackfill}, once per chain
     * listed at migration time); never called for an entry that was chained when written.
     */
    void relink(String ref, ChainLink link);
}
