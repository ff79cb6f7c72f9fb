package io.certloop.issuance;

import io.certloop.system.Text;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Issuances that span more than one call (ACME orders, administrator requests). Holding the order
 * URL here is what lets another node, or this one after a restart, rebind and continue.
 */
public class IssuanceRequestStore {

    /** A stored request; {@code orderUrl} and {@code csrPem} are set by the issuers that use them. */
    public record StoredRequest(
            String id,
            String issuer,
            String idempotencyKey,
            String endpointName,
            List<String> names,
            String profile,
            String keyId,
            String state,
            String orderUrl,
            String csrPem,
            String failure,
            String certificateId) {}

    private static final RowMapper<StoredRequest> MAPPER = (rs, row) -> new StoredRequest(
            rs.getString("id"),
            rs.getString("issuer"),
            rs.getString("idempotency_key"),
            rs.getString("endpoint_name"),
            Arrays.asList(rs.getString("names").split(",")),
            rs.getString("profile"),
            rs.getString("key_id"),
            rs.getString("state"),
            rs.getString("order_url"),
            rs.getString("csr_pem"),
            rs.getString("failure"),
            rs.getString("certificate_id"));

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public IssuanceRequestStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Creates a request, or returns the existing one with the same issuer and idempotency key. */
    public StoredRequest create(String issuer, IssueRequest request, String keyId, String state, String csrPem) {
        Optional<StoredRequest> existing = findByIdempotencyKey(issuer, request.idempotencyKey());
        if (existing.isPresent()) {
            return existing.get();
        }
        String id = "req-" + UUID.randomUUID();
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.update(
                    """
                    INSERT INTO issuance_request (id, issuer, idempotency_key, endpoint_name, names, profile, key_id, state,
                        csr_pem, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    id,
                    issuer,
                    request.idempotencyKey(),
                    request.endpointName(),
                    String.join(",", request.names()),
                    request.profile(),
                    keyId,
                    state,
                    csrPem,
                    now,
                    now);
        } catch (DuplicateKeyException e) {
            return findByIdempotencyKey(issuer, request.idempotencyKey()).orElseThrow(() -> e);
        }
        return find(id).orElseThrow();
    }

    public Optional<StoredRequest> find(String id) {
        return jdbc.query("SELECT * FROM issuance_request WHERE id = ?", MAPPER, id).stream()
                .findFirst();
    }

    public Optional<StoredRequest> findByIdempotencyKey(String issuer, String idempotencyKey) {
        return jdbc
                .query(
                        "SELECT * FROM issuance_request WHERE issuer = ? AND idempotency_key = ?",
                        MAPPER,
                        issuer,
                        idempotencyKey)
                .stream()
                .findFirst();
    }

    public void update(String id, String state, String orderUrl, String failure) {
        jdbc.update("""
                UPDATE issuance_request SET state = ?, order_url = COALESCE(?, order_url), failure = ?, updated_at = ?
                WHERE id = ?""", state, orderUrl, Text.cut(failure, 2000), Timestamp.from(clock.instant()), id);
    }

    public void complete(String id, String certificateId) {
        jdbc.update(
                "UPDATE issuance_request SET state = 'ISSUED', certificate_id = ?, failure = NULL, updated_at = ? WHERE id = ?",
                certificateId,
                Timestamp.from(clock.instant()),
                id);
    }
}
