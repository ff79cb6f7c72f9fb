package io.certloop.audit;

import io.certloop.custody.KeyCustody;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hash chains over append-only evidence, with heads authenticated by an HMAC key sealed in custody.
 * Any feature can keep a chain: call {@link #extend} in the transaction that inserts the entry, store
 * the returned hashes with it, and register a {@link ChainSource} so verification reads it back.
 * The chain's head row is locked until the transaction ends: concurrent appends to one chain queue
 * up instead of forking it.
 */
@Service
public class AuditChain {

    /** The custody name of the key that authenticates chain heads. */
    static final String KEY_NAME = "audit-chain";

    private final JdbcTemplate jdbc;
    private final KeyCustody custody;
    private final Clock clock;
    private final TransactionTemplate savepoint;
    private final TransactionTemplate separate;
    private volatile String keyId;

    AuditChain(JdbcTemplate jdbc, KeyCustody custody, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.custody = custody;
        this.clock = clock;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The head of a chain as stored: how many entries, the last hash, and its MAC. */
    record Head(String chain, String chainId, long entries, String headHash, String mac, String keyId) {}

    /**
     * Joins {@code entry} to the end of its chain and moves the head. Must run inside the
     * transaction that stores the entry (with the returned hashes); fails outside one.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ChainLink extend(ChainEntry entry) {
        Head head = lockHead(entry.chain(), entry.chainId());
        String previous = head.entries() == 0 ? ChainEntry.GENESIS : head.headHash();
        String hash = entry.hash(previous);
        long entries = head.entries() + 1;
        String key = key();
        String mac = mac(key, entry.chain(), entry.chainId(), entries, hash);
        jdbc.update(
                "UPDATE audit_chain_head SET entries = ?, head_hash = ?, mac = ?, key_id = ?, updated_at = ? "
                        + "WHERE chain = ? AND chain_id = ?",
                entries,
                hash,
                mac,
                key,
                Timestamp.from(clock.instant()),
                entry.chain(),
                entry.chainId());
        return new ChainLink(previous, hash);
    }

    /**
     * Empties a chain's head (locked until the transaction ends) so that its entries can be chained again from the
     * genesis: only for the one-time backfill of entries written before chaining ({@link ChainBackfill}).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void restart(String chain, String chainId) {
        lockHead(chain, chainId);
        jdbc.update(
                "UPDATE audit_chain_head SET entries = 0, head_hash = ?, mac = '', key_id = '', updated_at = ? "
                        + "WHERE chain = ? AND chain_id = ?",
                ChainEntry.GENESIS,
                Timestamp.from(clock.instant()),
                chain,
                chainId);
    }

    /**
     * Locks the head row (an empty head has 0 entries); a chain's first append creates it under a savepoint, and when another
     * transaction created it first (duplicate key) waits for and locks theirs.
     */
    private Head lockHead(String chain, String chainId) {
        Optional<Head> head = selectForUpdate(chain, chainId);
        if (head.isPresent()) {
            return head.get();
        }
        try {
            savepoint.executeWithoutResult(status -> jdbc.update(
                    "INSERT INTO audit_chain_head (chain, chain_id, entries, head_hash, mac, key_id, updated_at) "
                            + "VALUES (?, ?, 0, ?, '', '', ?)",
                    chain,
                    chainId,
                    ChainEntry.GENESIS,
                    Timestamp.from(clock.instant())));
        } catch (DuplicateKeyException raced) {
            // another transaction started this chain first: its row is locked below once it commits
        }
        return selectForUpdate(chain, chainId).orElseThrow();
    }

    private Optional<Head> selectForUpdate(String chain, String chainId) {
        return jdbc
                .query(
                        "SELECT chain, chain_id, entries, head_hash, mac, key_id FROM audit_chain_head "
                                + "WHERE chain = ? AND chain_id = ? FOR UPDATE",
                        AuditChain::head,
                        chain,
                        chainId)
                .stream()
                .findFirst();
    }

    List<Head> heads(String chain) {
        return jdbc.query(
                "SELECT chain, chain_id, entries, head_hash, mac, key_id FROM audit_chain_head "
                        + "WHERE chain = ? AND entries > 0 ORDER BY chain_id",
                AuditChain::head,
                chain);
    }

    Optional<Head> head(String chain, String chainId) {
        return jdbc
                .query(
                        "SELECT chain, chain_id, entries, head_hash, mac, key_id FROM audit_chain_head "
                                + "WHERE chain = ? AND chain_id = ?",
                        AuditChain::head,
                        chain,
                        chainId)
                .stream()
                .findFirst();
    }

    /** True when the head's MAC is the one custody computes for its fields. */
    boolean authentic(Head head) {
        if (head.keyId() == null || head.keyId().isBlank()) {
            return false;
        }
        String expected = mac(head.keyId(), head.chain(), head.chainId(), head.entries(), head.headHash());
        return java.security.MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), head.mac().getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String key, String chain, String chainId, long entries, String headHash) {
        String message = chain + "\n" + chainId + "\n" + entries + "\n" + headHash;
        return HexFormat.of().formatHex(custody.mac(key, message.getBytes(StandardCharsets.UTF_8)));
    }

    private String key() {
        String id = keyId;
        if (id == null) {
            // its own transaction: a node losing the race to create the key must not abort the caller's
            try {
                id = separate.execute(status -> custody.macKey(KEY_NAME));
            } catch (DuplicateKeyException raced) {
                id = separate.execute(status -> custody.macKey(KEY_NAME));
            }
            keyId = id;
        }
        return id;
    }

    private static Head head(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Head(
                rs.getString("chain"),
                rs.getString("chain_id"),
                rs.getLong("entries"),
                rs.getString("head_hash"),
                rs.getString("mac"),
                rs.getString("key_id"));
    }
}
