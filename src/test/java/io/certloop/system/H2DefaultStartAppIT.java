package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.CertLoopApplication;
import io.certloop.support.ApiClient;
import io.certloop.support.Await;
import io.certloop.support.TlsPeek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded default starts with no set-up: H2 under the data directory, a generated admin password. */
@ExtendWith(OutputCaptureExtension.class)
class H2DefaultStartAppIT {

    private static final Pattern GENERATED =
            Pattern.compile("Created administrator 'admin' with generated password: (\\S+)");

    @Test
    void theEmbeddedDefaultStartsAndPrintsTheAdminPasswordOnce(@TempDir Path dataDir, CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext app = start(dataDir)) {
            int port = port(app);
            ApiClient.Response health = ApiClient.anonymous(port).get("/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).isEqualTo("UP");
            assertThat(Files.list(dataDir).map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("certloop") && n.endsWith(".db"));

            Matcher generated = GENERATED.matcher(output.getAll());
            assertThat(generated.find()).as("generated password logged").isTrue();
            String password = generated.group(1);
            ApiClient adminClient = ApiClient.as(port, "admin", password);
            assertThat(adminClient.get("/api/inventory/endpoints").status()).isEqualTo(200);
            assertThat(adminClient
                            .get("/engine-rest/process-definition?key=triage-unknown-target")
                            .json())
                    .hasSize(1);
            assertThat(ApiClient.anonymous(port)
                            .get("/camunda/app/welcome/default/")
                            .status())
                    .isEqualTo(200);

            // the demo: an expiring certificate on loopback is detected, healed, and the review waits in Tasklist
            JsonNode review = Await.until(Duration.ofSeconds(90), () -> {
                JsonNode tasks = adminClient
                        .get("/engine-rest/task?taskDefinitionKey=reviewIncident")
                        .json();
                return tasks.isArray() && !tasks.isEmpty() ? tasks.get(0) : null;
            });
            String incidentId = adminClient
                    .get("/engine-rest/process-instance/"
                            + review.path("processInstanceId").asText())
                    .json()
                    .path("businessKey")
                    .asText();
            JsonNode incident = adminClient.get("/api/incidents/" + incidentId).json();
            assertThat(incident.path("endpoint").asText()).isEqualTo("demo-web");
            assertThat(incident.path("state").asText()).isEqualTo("resolved");
            String expected = adminClient
                    .get("/api/inventory/endpoints/demo-web")
                    .json()
                    .path("expectedSha256")
                    .asText();
            int demoPort = adminClient
                    .get("/api/inventory/endpoints/demo-web")
                    .json()
                    .path("port")
                    .asInt();
            assertThat(TlsPeek.peek("127.0.0.1", demoPort).leafSha256())
                    .as("the demo service presents the new certificate")
                    .isEqualTo(expected);
        }
        int before = count(output.getAll());
        try (ConfigurableApplicationContext again = start(dataDir)) {
            assertThat(ApiClient.anonymous(port(again)).get("/actuator/health").status())
                    .isEqualTo(200);
        }
        assertThat(count(output.getAll()))
                .as("password printed only at first start")
                .isEqualTo(before);
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(CertLoopApplication.class)
                // one JVM per application test (see the pom), so the engine keeps its default name
                .run(
                        "--server.port=0",
                        "--certloop.data-dir=" + dataDir,
                        "--certloop.admin.password=",
                        "--certloop.demo.port=0",
                        "--certloop.probe.detection.initial-delay=PT1S");
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    private static int count(String log) {
        Matcher matcher = GENERATED.matcher(log);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
