package io.certloop.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Endpoints in table {@code inventory_endpoint}; lists and the deployment are JSON text. */
@Repository
class EndpointRepository {

    private static final String COLUMNS = "id, name, host, port, sni, addresses, expected_names, tier, environment, "
            + "service_owner_team, service_owner_email, cert_owner_team, cert_owner_email, replacement_path, profile, "
            + "deployment, expected_sha256, created_at, updated_at, partner_contacts";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final RowMapper<Endpoint> rowMapper = this::map;

    EndpointRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<Endpoint> findAll() {
        return jdbc.query("SELECT " + COLUMNS + " FROM inventory_endpoint ORDER BY name", rowMapper);
    }

    /** One page, by name: {@code limit} rows after skipping {@code offset}. */
    List<Endpoint> findAll(int offset, int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM inventory_endpoint ORDER BY name OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                rowMapper,
                offset,
                limit);
    }

    Optional<Endpoint> findById(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM inventory_endpoint WHERE id = ?", rowMapper, id).stream()
                .findFirst();
    }

    Optional<Endpoint> findByName(String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM inventory_endpoint WHERE name = ?", rowMapper, name).stream()
                .findFirst();
    }

    List<Endpoint> findByHostAndPort(String host, int port) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM inventory_endpoint WHERE (host = ? OR sni = ?) AND port = ? ORDER BY name",
                rowMapper,
                host,
                host,
                port);
    }

    Endpoint insert(Endpoint endpoint, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    var statement = connection.prepareStatement(
                            "INSERT INTO inventory_endpoint (name, host, port, sni, addresses, "
                                    + "expected_names, tier, environment, service_owner_team, service_owner_email, cert_owner_team, "
                                    + "cert_owner_email, replacement_path, profile, deployment, expected_sha256, partner_contacts, "
                                    + "created_at, updated_at) "
                                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            new String[] {"id"});
                    int i = bind(statement, endpoint);
                    statement.setTimestamp(i++, Timestamp.from(now));
                    statement.setTimestamp(i, Timestamp.from(now));
                    return statement;
                },
                keys);
        long id = keys.getKey().longValue();
        return endpoint.withIdentity(id, now, now);
    }

    void update(long id, Endpoint endpoint, Instant now) {
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(
                    "UPDATE inventory_endpoint SET name = ?, host = ?, port = ?, "
                            + "sni = ?, addresses = ?, expected_names = ?, tier = ?, environment = ?, service_owner_team = ?, "
                            + "service_owner_email = ?, cert_owner_team = ?, cert_owner_email = ?, replacement_path = ?, "
                            + "profile = ?, deployment = ?, expected_sha256 = ?, partner_contacts = ?, updated_at = ? WHERE id = ?");
            int i = bind(statement, endpoint);
            statement.setTimestamp(i++, Timestamp.from(now));
            statement.setLong(i, id);
            return statement;
        });
    }

    void updateExpectedSha256(long id, String sha256, Instant now) {
        jdbc.update(
                "UPDATE inventory_endpoint SET expected_sha256 = ?, updated_at = ? WHERE id = ?",
                sha256,
                Timestamp.from(now),
                id);
    }

    boolean delete(long id) {
        return jdbc.update("DELETE FROM inventory_endpoint WHERE id = ?", id) > 0;
    }

    private int bind(java.sql.PreparedStatement statement, Endpoint e) throws SQLException {
        int i = 1;
        statement.setString(i++, e.name());
        statement.setString(i++, e.host());
        statement.setInt(i++, e.port());
        statement.setString(i++, e.sni());
        statement.setString(i++, write(e.addresses()));
        statement.setString(i++, write(e.expectedNames()));
        statement.setInt(i++, e.tier());
        statement.setString(i++, e.environment().value());
        statement.setString(
                i++, e.serviceOwner() == null ? null : e.serviceOwner().team());
        statement.setString(
                i++, e.serviceOwner() == null ? null : e.serviceOwner().email());
        statement.setString(
                i++, e.certificateOwner() == null ? null : e.certificateOwner().team());
        statement.setString(
                i++, e.certificateOwner() == null ? null : e.certificateOwner().email());
        statement.setString(i++, e.replacementPath().value());
        statement.setString(i++, e.profile());
        statement.setString(i++, e.deployment() == null ? null : write(e.deployment()));
        statement.setString(i++, e.expectedSha256());
        statement.setString(i++, write(e.partnerContacts()));
        return i;
    }

    private Endpoint map(ResultSet rs, int row) throws SQLException {
        String deployment = rs.getString("deployment");
        return new Endpoint(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("host"),
                rs.getInt("port"),
                rs.getString("sni"),
                read(rs.getString("addresses"), STRINGS),
                read(rs.getString("expected_names"), STRINGS),
                rs.getInt("tier"),
                Environment.parse(rs.getString("environment")).orElseThrow(),
                owner(rs.getString("service_owner_team"), rs.getString("service_owner_email")),
                owner(rs.getString("cert_owner_team"), rs.getString("cert_owner_email")),
                ReplacementPath.parse(rs.getString("replacement_path")).orElseThrow(),
                rs.getString("profile"),
                deployment == null ? null : read(deployment, new TypeReference<FileDeployment>() {}),
                rs.getString("expected_sha256"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                read(rs.getString("partner_contacts"), STRINGS));
    }

    private static Owner owner(String team, String email) {
        return team == null && email == null ? null : new Owner(team, email);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize inventory column", e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt inventory column: " + e.getOriginalMessage(), e);
        }
    }
}
