package io.certloop.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hashed content of one entry on a chain, exactly as stored: the time at microsecond
 * precision (what PostgreSQL keeps), the type, the actor and the detail text. The hash covers the
 * chain, its id and the previous entry's hash too, so an entry cannot be moved to another chain or
 * position unnoticed.
 */
public record ChainEntry(String chain, String chainId, Instant at, String type, String actor, String detail) {

    /** The previous hash of a chain's first entry. */
    public static final String GENESIS = "0".repeat(64);

    /** Stored times are cut to microseconds; hash and row must agree, so writers cut them first. */
    public static Instant storable(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /** SHA-256 over the length-prefixed UTF-8 fields and {@code previousHash}, hex. */
    public String hash(String previousHash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field :
                    new String[] {chain, chainId, storable(at).toString(), type, actor, detail, previousHash}) {
                byte[] bytes = (field == null ? "" : field).getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4)
                        .putInt(field == null ? -1 : bytes.length)
                        .array());
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
