package io.certloop.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import io.certloop.support.TlsTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Findings are never lost (issue 10, item 10), on PostgreSQL: the database refuses to open the incident of an
 * expired endpoint once (a trigger); detection neither opens it nor records the finding as announced, and the
 * next detection of the endpoint opens it.
 */
class FindingAnnouncementIT extends PostgresIntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    private TlsTestServer server;
    private ApiClient operator;

    @BeforeEach
    void failingIncidentInsert() {
        admin.ensureUser("announce-operator", "announce-operator-pw", "operators");
        operator = ApiClient.as(port, "announce-operator", "announce-operator-pw");
        jdbc.execute("CREATE TABLE IF NOT EXISTS it_refuse_incident (endpoint VARCHAR(128) PRIMARY KEY)");
        jdbc.execute("CREATE OR REPLACE FUNCTION it_refuse_incident() RETURNS trigger AS $$ BEGIN"
                + " IF EXISTS (SELECT 1 FROM it_refuse_incident WHERE endpoint = NEW.endpoint) THEN"
                + " RAISE EXCEPTION 'test: the database refuses the incident for %', NEW.endpoint; END IF;"
                + " RETURN NEW; END $$ LANGUAGE plpgsql");
        jdbc.execute("DROP TRIGGER IF EXISTS it_refuse_incident ON incident");
        jdbc.execute("CREATE TRIGGER it_refuse_incident BEFORE INSERT ON incident FOR EACH ROW"
                + " EXECUTE FUNCTION it_refuse_incident()");
    }

    @AfterEach
    void cleanUp() {
        jdbc.execute("DROP TRIGGER IF EXISTS it_refuse_incident ON incident");
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aFindingWhoseIncidentCouldNotBeOpenedIsAnnouncedAgainByTheNextCycle() {
        Issued root = TestCertificates.rootCa("Announce Root").selfSigned();
        Issued expired = TestCertificates.leaf("svc.test").expired().signedBy(root);
        server = TlsTestServer.start(expired.chainWithRoot(), expired.privateKey());
        String name = "announce-" + System.nanoTime();
        ApiClient.Response created = operator.post(
                "/api/inventory/endpoints",
                Map.of(
                        "name",
                        name,
                        "host",
                        "127.0.0.1",
                        "port",
                        server.port(),
                        "sni",
                        "svc.test",
                        "expectedNames",
                        List.of("svc.test"),
                        "tier",
                        1,
                        "environment",
                        "production",
                        "replacementPath",
                        "manual"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        jdbc.update("INSERT INTO it_refuse_incident (endpoint) VALUES (?)", name);

        probe(id);
        assertThat(incidentsFor(name)).as("the database refused the incident").isEmpty();
        assertThat(standing(id)).as("not recorded as announced either").doesNotContain("EXPIRED");

        jdbc.update("DELETE FROM it_refuse_incident WHERE endpoint = ?", name);
        probe(id);
        assertThat(incidentsFor(name)).as("the next detection opened it").hasSize(1);
        assertThat(standing(id)).contains("EXPIRED");

        probe(id);
        assertThat(incidentsFor(name)).as("and only once").hasSize(1);
    }

    /** One detection of this endpoint (what a cycle does for each), without touching other tests' endpoints. */
    private void probe(long endpointId) {
        ApiClient.Response probed = operator.post("/api/inventory/endpoints/" + endpointId + "/probe", Map.of());
        assertThat(probed.status()).as(probed.body()).isEqualTo(200);
    }

    private JsonNode incidentsFor(String endpoint) {
        JsonNode all = admin.get("/api/incidents?endpoint=" + endpoint).json();
        JsonNode items = all.isArray() ? all : all.path("items");
        List<JsonNode> matching = new java.util.ArrayList<>();
        items.forEach(incident -> {
            // the untrusted test root opens a trust-mismatch incident too: this test follows the expiry one
            if (endpoint.equals(incident.path("endpoint").asText())
                    && "expiry".equals(incident.path("category").asText())) {
                matching.add(incident);
            }
        });
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(matching);
    }

    private List<String> standing(long endpointId) {
        return jdbc.queryForList("SELECT code FROM probe_open_finding WHERE endpoint_id = ?", String.class, endpointId);
    }
}
