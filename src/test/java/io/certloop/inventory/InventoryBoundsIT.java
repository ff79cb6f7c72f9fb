package io.certloop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.TestEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator may name only deployment paths inside the server's allowed directories (never its data directory,
 * never through '..' or a link leading out) and only names the endpoint's issuance profile may issue for: anything
 * else answers 400 naming the field, and nothing is stored. The tests' configuration allows {@link #deployDir()}
 * and, for the standard profile, {@code localhost}, {@code test} and 127.0.0.1.
 */
class InventoryBoundsIT extends PostgresIntegrationTest {

    private ApiClient operator;
    private Path files;

    @BeforeEach
    void operator() throws Exception {
        admin.ensureUser("bounds-olga", "bounds-olga-pw", "operators");
        operator = ApiClient.as(port, "bounds-olga", "bounds-olga-pw");
        files = Files.createDirectories(deployDir().resolve("bounds-" + System.nanoTime()));
    }

    private static Map<String, Object> endpoint(String name, Path fullchain, Path key) {
        return TestEndpoints.loopback(name, 443, fullchain, key, "noop");
    }

    private void assertRefused(ApiClient.Response response, String field, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsText("field"))
                .as(response.body())
                .contains(field);
        assertThat(response.body()).contains(reason);
    }

    private void assertNotStored(String name) {
        assertThat(admin.get("/api/inventory/endpoints/" + name).status()).isEqualTo(404);
    }

    @Test
    void aKeyPathInCertLoopsOwnDataDirectoryIsRefusedAlthoughTheDeployDirectoryIsAllowed() {
        String name = "bounds-data-" + System.nanoTime();
        ApiClient.Response created = operator.post(
                "/api/inventory/endpoints",
                endpoint(name, files.resolve("fullchain.pem"), dataDir().resolve("master.key")));

        assertRefused(created, "deployment.keyPath", "CertLoop's own data directory");
        assertNotStored(name);
    }

    @Test
    void aPathOutsideTheAllowedDirectoriesOrWithDotDotIsRefused() {
        String name = "bounds-outside-" + System.nanoTime();
        Map<String, Object> request = endpoint(name, Path.of("/etc/ssl/web/fullchain.pem"), files.resolve("key.pem"));
        assertRefused(
                operator.post("/api/inventory/endpoints", request),
                "deployment.fullchainPath",
                "outside the directories deployments may write to");

        Map<String, Object> dotDot =
                endpoint(name, files.resolve("fullchain.pem"), Path.of(files + "/../../../../etc/shadow"));
        assertRefused(operator.post("/api/inventory/endpoints", dotDot), "deployment.keyPath", "normalized");
        assertNotStored(name);
    }

    @Test
    void aLinkedDirectoryInsideTheAllowedOneThatLeadsOutIsRefused() throws Exception {
        Path escape = Files.createSymbolicLink(files.resolve("escape"), Path.of("/etc"));
        String name = "bounds-link-" + System.nanoTime();

        ApiClient.Response created = operator.post(
                "/api/inventory/endpoints",
                endpoint(name, files.resolve("fullchain.pem"), escape.resolve("ssl/private/key.pem")));

        assertRefused(created, "deployment.keyPath", "resolves to /etc/ssl/private/key.pem");
        assertNotStored(name);
    }

    @Test
    void anUpdateToARefusedPathOrNameLeavesTheStoredEndpointAsItWas() {
        String name = "bounds-update-" + System.nanoTime();
        Map<String, Object> good = endpoint(name, files.resolve("fullchain.pem"), files.resolve("key.pem"));
        assertThat(operator.post("/api/inventory/endpoints", good).status()).isEqualTo(201);

        Map<String, Object> badPath =
                endpoint(name, files.resolve("fullchain.pem"), dataDir().resolve("key.pem"));
        assertRefused(
                operator.put("/api/inventory/endpoints/" + name, badPath),
                "deployment.keyPath",
                "CertLoop's own data directory");
        Map<String, Object> badName = endpoint(name, files.resolve("fullchain.pem"), files.resolve("key.pem"));
        badName.put("expectedNames", List.of("localhost", "www.bank.example"));
        assertRefused(
                operator.put("/api/inventory/endpoints/" + name, badName),
                "expectedNames[1]",
                "outside the domains of issuance profile 'standard'");

        ApiClient.Response stored = admin.get("/api/inventory/endpoints/" + name);
        assertThat(stored.json().path("deployment").path("keyPath").asText())
                .isEqualTo(files.resolve("key.pem").toString());
        assertThat(stored.json().path("expectedNames").toString()).isEqualTo("[\"localhost\"]");
    }

    @Test
    void namesOutsideTheProfilesDomainsAreRefusedForAnEndpointCertLoopIssuesFor() {
        String name = "bounds-names-" + System.nanoTime();
        Map<String, Object> request = endpoint(name, files.resolve("fullchain.pem"), files.resolve("key.pem"));
        request.put("expectedNames", List.of("localhost", "*.bank.example", "localhost.evil"));

        ApiClient.Response created = operator.post("/api/inventory/endpoints", request);

        assertRefused(created, "expectedNames[1]", "'*.bank.example' is outside the domains");
        assertThat(created.json().path("errors").findValuesAsText("field")).contains("expectedNames[2]");
        assertNotStored(name);

        request.put("expectedNames", List.of("localhost"));
        request.put("profile", "gold");
        assertRefused(
                operator.post("/api/inventory/endpoints", request), "profile", "names no issuance profile configured");
        assertNotStored(name);
    }

    @Test
    void aManualEndpointIsWatchedNotIssuedForAndMayExpectAnyName() {
        String name = "bounds-manual-" + System.nanoTime();
        Map<String, Object> request = endpoint(name, files.resolve("fullchain.pem"), files.resolve("key.pem"));
        request.put("expectedNames", List.of("partner.bank.example"));
        request.put("replacementPath", "manual");

        assertThat(operator.post("/api/inventory/endpoints", request).status()).isEqualTo(201);
    }

    @Test
    void anImportNamingARefusedPathOrNameWritesNothing() {
        String suffix = Long.toString(System.nanoTime());
        String yaml = """
                endpoints:
                  - name: bounds-import-ok-%1$s
                    host: api.example.test
                    tier: 1
                    environment: production
                    replacementPath: internal-ca
                    deployment:
                      fullchainPath: %2$s/fullchain.pem
                      keyPath: %2$s/key.pem
                      reloadAction: noop
                  - name: bounds-import-bad-%1$s
                    host: www.bank.example
                    tier: 1
                    environment: production
                    replacementPath: acme
                    deployment:
                      fullchainPath: %2$s/other.pem
                      keyPath: %3$s/key.pem
                      reloadAction: noop
                """.formatted(suffix, files, dataDir());

        ApiClient.Response refused = operator.post("/api/inventory/import", "application/yaml", yaml);

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("endpoints[1].host", "endpoints[1].deployment.keyPath");
        assertNotStored("bounds-import-ok-" + suffix);
        assertNotStored("bounds-import-bad-" + suffix);
    }
}
