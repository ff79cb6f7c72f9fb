package io.certloop.audit;

import java.util.List;

/**
 * The answer of {@code GET /api/audit/verify}: {@code valid} when every chain checks, how many
 * entries were checked, and otherwise each failing chain with the entries that fail and why.
 */
public record Verification(boolean valid, long checked, List<ChainFailure> failures) {

    /** A chain that does not check; {@code incidentId} is set for incident chains. */
    public record ChainFailure(
            String chain, String chainId, String incidentId, List<EntryFailure> entries, String head) {}

    /** One entry that fails: its row id and what is wrong with it. */
    public record EntryFailure(String entry, String problem) {}
}
