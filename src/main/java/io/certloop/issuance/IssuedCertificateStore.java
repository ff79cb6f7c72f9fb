package io.certloop.issuance;

import io.certloop.system.Fingerprints;
import io.certloop.system.Pem;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Every certificate CertLoop obtained, keyed by issuer and idempotency key (so a retry returns
 * the stored certificate) and by serial (so the internal CA can answer OCSP and build CRLs).
 * Stores public data only: PEM certificates and the custody key id.
 */
public class IssuedCertificateStore {

    /** Revocation facts of one certificate, as OCSP and CRL need them. */
    public record Revocation(String serial, Instant revokedAt, RevocationReason reason) {}

    /** Status of a serial for OCSP. */
    public record SerialStatus(String serial, Optional<Revocation> revocation) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public IssuedCertificateStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private static final String COLUMNS =
            "id, issuer, endpoint_name, leaf_pem, chain_pem, sha256, serial, not_before, not_after, key_id";

    private static final RowMapper<IssuedCertificate> MAPPER = (ResultSet rs, int row) -> new IssuedCertificate(
            rs.getString("id"),
            rs.getString("issuer"),
            rs.getString("endpoint_name"),
            rs.getString("leaf_pem"),
            Pem.parseCertificates(rs.getString("chain_pem")).stream()
                    .map(Pem::toPem)
                    .toList(),
            rs.getString("sha256"),
            rs.getString("serial"),
            instant(rs, "not_before"),
            instant(rs, "not_after"),
            rs.getString("key_id"));

    public Optional<IssuedCertificate> findByIdempotencyKey(String issuer, String idempotencyKey) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM issued_certificate WHERE issuer = ? AND idempotency_key = ?",
                        MAPPER,
                        issuer,
                        idempotencyKey)
                .stream()
                .findFirst();
    }

    /** The most recent certificate with this leaf fingerprint (renewed-but-not-deployed looks it up). */
    public Optional<IssuedCertificate> findBySha256(String sha256) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM issued_certificate WHERE sha256 = ? ORDER BY not_before DESC",
                        MAPPER,
                        sha256)
                .stream()
                .findFirst();
    }

    /** Every certificate issued for a custody key, oldest first (a key compromise revokes them all). */
    public List<IssuedCertificate> findByKeyId(String keyId) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM issued_certificate WHERE key_id = ? ORDER BY not_before", MAPPER, keyId);
    }

    /**
     * The newest certificate issued for {@code endpointName} under an idempotency key that starts with
     * {@code keyPrefix}: what a runbook had issued for one incident, found from the record alone.
     */
    public Optional<IssuedCertificate> newestByKeyPrefix(String endpointName, String keyPrefix) {
        String pattern = keyPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM issued_certificate WHERE endpoint_name = ?"
                                + " AND idempotency_key LIKE ? ESCAPE '\\' ORDER BY issued_at DESC, id",
                        MAPPER,
                        endpointName,
                        pattern)
                .stream()
                .findFirst();
    }

    public Optional<IssuedCertificate> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM issued_certificate WHERE id = ?", MAPPER, id).stream()
                .findFirst();
    }

    /**
     * Records a certificate. If another node or retry stored one under the same idempotency key
     * first, that one is returned and this one is not recorded.
     */
    public IssuedCertificate save(
            String issuer,
            String idempotencyKey,
            String endpointName,
            String profile,
            String keyId,
            X509Certificate leaf,
            List<X509Certificate> chain) {
        String id = "crt-" + UUID.randomUUID();
        StringBuilder chainPem = new StringBuilder();
        chain.forEach(c -> chainPem.append(Pem.toPem(c)));
        try {
            jdbc.update(
                    """
                    INSERT INTO issued_certificate (id, issuer, idempotency_key, endpoint_name, profile, serial, sha256,
                        not_before, not_after, key_id, leaf_pem, chain_pem, issued_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    id,
                    issuer,
                    idempotencyKey,
                    endpointName,
                    profile,
                    Pem.serialHex(leaf),
                    Fingerprints.sha256Hex(leaf),
                    Timestamp.from(leaf.getNotBefore().toInstant()),
                    Timestamp.from(leaf.getNotAfter().toInstant()),
                    keyId,
                    Pem.toPem(leaf),
                    chainPem.toString(),
                    Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException e) {
            return findByIdempotencyKey(issuer, idempotencyKey).orElseThrow(() -> e);
        }
        return findById(id).orElseThrow();
    }

    /** Status of a serial issued by {@code issuer}; empty if that issuer never issued it. */
    public Optional<SerialStatus> status(String issuer, String serial) {
        return jdbc
                .query(
                        "SELECT serial, revoked_at, revocation_reason FROM issued_certificate WHERE issuer = ? AND serial = ?",
                        (rs, row) -> new SerialStatus(rs.getString(1), revocation(rs)),
                        issuer,
                        serial)
                .stream()
                .findFirst();
    }

    /** Marks a certificate revoked; false if unknown. A second revoke keeps the first date and reason. */
    public boolean revoke(String issuer, String serial, RevocationReason reason) {
        int known = jdbc.queryForObject(
                "SELECT COUNT(*) FROM issued_certificate WHERE issuer = ? AND serial = ?",
                Integer.class,
                issuer,
                serial);
        jdbc.update("""
                UPDATE issued_certificate SET revoked_at = ?, revocation_reason = ?
                WHERE issuer = ? AND serial = ? AND revoked_at IS NULL""", Timestamp.from(clock.instant()), reason.name(), issuer, serial);
        return known > 0;
    }

    /** All revoked certificates of an issuer that have not yet expired (expired ones may leave the CRL). */
    public List<Revocation> revokedUnexpired(String issuer) {
        return jdbc.query("""
                SELECT serial, revoked_at, revocation_reason FROM issued_certificate
                WHERE issuer = ? AND revoked_at IS NOT NULL AND not_after > ? ORDER BY revoked_at""", (rs, row) -> revocation(rs).orElseThrow(), issuer, Timestamp.from(clock.instant()));
    }

    private static Optional<Revocation> revocation(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp("revoked_at");
        if (at == null) {
            return Optional.empty();
        }
        return Optional.of(new Revocation(
                rs.getString("serial"), at.toInstant(), RevocationReason.valueOf(rs.getString("revocation_reason"))));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
