package io.certloop.issuance.acme;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** HTTP-01 key authorizations in the database, so whichever node the CA reaches can answer. */
class ChallengeStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ChallengeStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void put(String token, String keyAuthorization, String requestId) {
        try {
            jdbc.update(
                    "INSERT INTO acme_challenge (token, key_authorization, request_id, created_at) VALUES (?, ?, ?, ?)",
                    token,
                    keyAuthorization,
                    requestId,
                    Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException e) {
            jdbc.update(
                    "UPDATE acme_challenge SET key_authorization = ?, request_id = ? WHERE token = ?",
                    keyAuthorization,
                    requestId,
                    token);
        }
    }

    Optional<String> find(String token) {
        return jdbc
                .queryForList("SELECT key_authorization FROM acme_challenge WHERE token = ?", String.class, token)
                .stream()
                .findFirst();
    }

    void deleteForRequest(String requestId) {
        jdbc.update("DELETE FROM acme_challenge WHERE request_id = ?", requestId);
    }
}
