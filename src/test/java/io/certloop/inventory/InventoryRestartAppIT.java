package io.certloop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.CertLoopApplication;
import io.certloop.support.ApiClient;
import io.certloop.support.PostgresTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** An endpoint created over the API is still there after the server restarts on PostgreSQL. */
class InventoryRestartAppIT {

    @Test
    void anEndpointSurvivesARestartOnPostgres() throws Exception {
        Path dataDir = Files.createTempDirectory("certloop-restart");
        try (ConfigurableApplicationContext first = start(dataDir)) {
            ApiClient admin = ApiClient.as(port(first), "admin", "restart-admin");
            ApiClient.Response created = admin.post(
                    "/api/inventory/endpoints",
                    Map.of(
                            "name",
                            "durable",
                            "host",
                            "durable.example.test",
                            "port",
                            8443,
                            "tier",
                            2,
                            "environment",
                            "non-production",
                            "certificateOwner",
                            Map.of("team", "pki", "email", "pki@example.test")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        try (ConfigurableApplicationContext second = start(dataDir)) {
            ApiClient.Response endpoint =
                    ApiClient.as(port(second), "admin", "restart-admin").get("/api/inventory/endpoints/durable");
            assertThat(endpoint.status()).isEqualTo(200);
            assertThat(endpoint.json().path("host").asText()).isEqualTo("durable.example.test");
            assertThat(endpoint.json().path("port").asInt()).isEqualTo(8443);
            assertThat(endpoint.json().path("certificateOwner").path("email").asText())
                    .isEqualTo("pki@example.test");
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(CertLoopApplication.class)
                .profiles("postgres")
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + PostgresTestDatabase.url(),
                        "--spring.datasource.username=" + PostgresTestDatabase.USER,
                        "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                        "--certloop.data-dir=" + dataDir,
                        "--certloop.admin.password=restart-admin");
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }
}
