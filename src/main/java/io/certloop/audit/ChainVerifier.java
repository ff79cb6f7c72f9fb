package io.certloop.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Recomputes every chain: each entry's hash from its stored content and its predecessor, each link,
 * and the head (length, last hash, MAC under the custody key). Entries are streamed; only the
 * failures are kept.
 */
@Service
public class ChainVerifier {

    private final AuditChain chains;
    private final List<ChainSource> sources;

    ChainVerifier(AuditChain chains, List<ChainSource> sources) {
        this.chains = chains;
        this.sources = sources;
    }

    /** Checks every chain of every source (read-only transaction: PostgreSQL streams rows only inside one). */
    @org.springframework.transaction.annotation.Transactional(
            readOnly = true,
            isolation = org.springframework.transaction.annotation.Isolation.REPEATABLE_READ)
    public Verification verifyAll() {
        long checked = 0;
        List<Verification.ChainFailure> failures = new ArrayList<>();
        for (ChainSource source : sources) {
            Map<String, AuditChain.Head> heads = new LinkedHashMap<>();
            chains.heads(source.chain()).forEach(h -> heads.put(h.chainId(), h));
            Walker walker = new Walker(source.chain(), heads, failures);
            source.forEachEntry(walker::accept);
            walker.finish();
            checked += walker.checked;
            // heads whose entries are all gone
            for (AuditChain.Head orphan : heads.values()) {
                if (!walker.seen.containsKey(orphan.chainId())) {
                    failures.add(failure(
                            source.chain(),
                            orphan.chainId(),
                            List.of(),
                            "the head records " + orphan.entries() + " entries but none are stored"));
                }
            }
        }
        return new Verification(failures.isEmpty(), checked, failures);
    }

    /** Checks one chain (for the evidence of one incident). */
    @org.springframework.transaction.annotation.Transactional(
            readOnly = true,
            isolation = org.springframework.transaction.annotation.Isolation.REPEATABLE_READ)
    public Verification verify(String chain, String chainId) {
        ChainSource source = sources.stream()
                .filter(s -> s.chain().equals(chain))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no chain named " + chain));
        Map<String, AuditChain.Head> heads = new HashMap<>();
        chains.head(chain, chainId).filter(h -> h.entries() > 0).ifPresent(h -> heads.put(chainId, h));
        List<Verification.ChainFailure> failures = new ArrayList<>();
        Walker walker = new Walker(chain, heads, failures);
        source.forEachEntry(chainId, walker::accept);
        walker.finish();
        if (!walker.seen.containsKey(chainId) && heads.containsKey(chainId)) {
            failures.add(failure(chain, chainId, List.of(), "the head records entries but none are stored"));
        }
        return new Verification(failures.isEmpty(), walker.checked, failures);
    }

    private static Verification.ChainFailure failure(
            String chain, String chainId, List<Verification.EntryFailure> entries, String head) {
        return new Verification.ChainFailure(
                chain, chainId, "incident".equals(chain) ? chainId : null, List.copyOf(entries), head);
    }

    /** Walks the entries of consecutive chains, one chain at a time. */
    private final class Walker {

        private final String chain;
        private final Map<String, AuditChain.Head> heads;
        private final List<Verification.ChainFailure> failures;
        private final Map<String, Boolean> seen = new HashMap<>();
        private long checked;

        private String chainId;
        private String previous;
        private long count;
        private List<Verification.EntryFailure> bad = new ArrayList<>();

        Walker(String chain, Map<String, AuditChain.Head> heads, List<Verification.ChainFailure> failures) {
            this.chain = chain;
            this.heads = heads;
            this.failures = failures;
        }

        void accept(StoredEntry entry) {
            if (!entry.content().chainId().equals(chainId)) {
                finish();
                chainId = entry.content().chainId();
                seen.put(chainId, true);
                previous = ChainEntry.GENESIS;
                count = 0;
                bad = new ArrayList<>();
            }
            checked++;
            count++;
            if (entry.hash() == null) {
                bad.add(new Verification.EntryFailure(entry.ref(), "has no hash"));
            } else {
                if (!previous.equals(entry.previousHash())) {
                    bad.add(new Verification.EntryFailure(
                            entry.ref(),
                            "does not link to the entry before it (an entry was removed, inserted or reordered)"));
                }
                if (!entry.content()
                        .hash(entry.previousHash() == null ? "" : entry.previousHash())
                        .equals(entry.hash())) {
                    bad.add(new Verification.EntryFailure(entry.ref(), "content does not match its hash (altered)"));
                }
            }
            previous = entry.hash() == null ? "" : entry.hash();
        }

        void finish() {
            if (chainId == null) {
                return;
            }
            String headProblem = null;
            AuditChain.Head head = heads.get(chainId);
            if (head == null) {
                headProblem = "no authenticated head for this chain";
            } else if (!chains.authentic(head)) {
                headProblem = "the head's MAC does not verify (head rewritten)";
            } else if (head.entries() != count) {
                headProblem = "the head records " + head.entries() + " entries, " + count + " are stored";
            } else if (!head.headHash().equals(previous)) {
                headProblem = "the last entry's hash is not the authenticated head (entries rewritten and rehashed)";
            }
            if (headProblem != null || !bad.isEmpty()) {
                failures.add(failure(chain, chainId, bad, headProblem));
            }
            chainId = null;
        }
    }

    Optional<ChainSource> source(String chain) {
        return sources.stream().filter(s -> s.chain().equals(chain)).findFirst();
    }
}
