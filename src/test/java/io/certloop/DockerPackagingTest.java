package io.certloop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What docker/ promises a user, read from the files themselves (no Docker engine runs here): the image
 * is built from source in a Maven stage and runs as a non-root user with a health check; the data
 * directory, master key included, sits on a named volume; the compose file waits for a healthy
 * PostgreSQL, restarts services, and takes every password from docker/.env, which git and the build
 * context both leave out.
 */
class DockerPackagingTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])[^}]*)?}");

    /** One Dockerfile instruction, continuation lines joined. */
    private record Instruction(String keyword, String arguments) {}

    /** The instructions of one build stage, from its FROM on. */
    private record Stage(String from, List<Instruction> instructions) {

        List<String> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .map(Instruction::arguments)
                    .toList();
        }

        String one(String keyword) {
            List<String> found = all(keyword);
            assertThat(found)
                    .as("%s instructions in the stage FROM %s", keyword, from)
                    .hasSize(1);
            return found.get(0);
        }
    }

    private static List<Stage> stages() throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("docker/Dockerfile"))) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(
                    text.substring(0, space).toUpperCase(Locale.ROOT),
                    text.substring(space + 1).strip()));
        }
        List<Stage> stages = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                stages.add(new Stage(instruction.arguments(), new ArrayList<>()));
            } else {
                assertThat(stages)
                        .as("instruction before the first FROM: %s", instruction)
                        .isNotEmpty();
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return stages;
    }

    private static JsonNode compose() throws IOException {
        return YAML.readTree(Path.of("docker/compose.yml").toFile());
    }

    @Test
    void theImageIsBuiltFromSourceInAMavenStageAndRunOnAJre() throws IOException {
        List<Stage> stages = stages();

        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        Stage build = stages.get(0);
        assertThat(build.from()).matches("maven:\\S+ AS build");
        assertThat(build.all("COPY")).contains("pom.xml ./", "src/ src/", "processes/ processes/", "forms/ forms/");
        assertThat(build.all("RUN")).anyMatch(run -> run.contains("mvn") && run.contains(" package"));
        Stage runtime = stages.get(stages.size() - 1);
        assertThat(runtime.from()).startsWith("eclipse-temurin:").contains("-jre");
        assertThat(runtime.all("COPY"))
                .anyMatch(copy -> copy.startsWith("--from=build ") && copy.contains("certloop.jar"));
        assertThat(runtime.one("ENTRYPOINT")).contains("\"-jar\"", "certloop.jar");
    }

    @Test
    void theImageRunsAsANonRootUserAndChecksItsHealthOnTheOpenHealthEndpoint() throws IOException {
        Stage runtime = stages().get(stages().size() - 1);

        String user = runtime.one("USER").split(":")[0];
        assertThat(user).isNotIn("root", "0");
        assertThat(runtime.all("RUN")).anyMatch(run -> run.contains("useradd") && run.contains(" " + user));
        String port = runtime.one("EXPOSE");
        assertThat(runtime.one("HEALTHCHECK")).contains("CMD ").contains(":" + port + "/actuator/health");
    }

    @Test
    void theDataDirectoryWithTheMasterKeyIsAVolumeOwnedByTheServiceUser() throws IOException {
        Stage runtime = stages().get(stages().size() - 1);
        String dataDir = runtime.all("ENV").stream()
                .filter(env -> env.startsWith("CERTLOOP_DATA_DIR="))
                .map(env -> env.substring("CERTLOOP_DATA_DIR=".length()))
                .findFirst()
                .orElseThrow();
        String user = runtime.one("USER").split(":")[0];

        assertThat(runtime.one("VOLUME")).isEqualTo(dataDir);
        assertThat(runtime.all("RUN")).anyMatch(run -> run.contains("chown " + user) && run.contains(dataDir));
        // the master key file defaults to the data directory, so the volume keeps it
        JsonNode application =
                YAML.readTree(Path.of("src/main/resources/application.yml").toFile());
        assertThat(application.at("/certloop/custody/master-key-file").asText()).startsWith("${certloop.data-dir}/");

        JsonNode compose = compose();
        List<String> mounts = texts(compose.at("/services/certloop/volumes"));
        String mount = mounts.stream()
                .filter(m -> m.endsWith(":" + dataDir))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no volume of the certloop service at " + dataDir + ": " + mounts));
        String volume = mount.substring(0, mount.indexOf(':'));
        assertThat(volume)
                .as("a named volume, not a bind mount")
                .doesNotContain("/")
                .doesNotStartWith(".");
        assertThat(compose.path("volumes").has(volume))
                .as("top-level volume " + volume)
                .isTrue();
    }

    @Test
    void composeStartsCertLoopOnlyOnAHealthyPostgresAndRestartsBoth() throws IOException {
        JsonNode services = compose().path("services");

        assertThat(services.path("db").path("image").asText()).startsWith("postgres:");
        assertThat(texts(services.at("/db/healthcheck/test"))).anyMatch(test -> test.contains("pg_isready"));
        assertThat(services.at("/certloop/depends_on/db/condition").asText()).isEqualTo("service_healthy");
        assertThat(services.at("/certloop/environment/SPRING_DATASOURCE_URL").asText())
                .startsWith("jdbc:postgresql://db:");
        assertThat(services.at("/certloop/environment/SPRING_PROFILES_ACTIVE").asText())
                .isEqualTo("postgres");
        assertThat(services.at("/certloop/build/dockerfile").asText()).isEqualTo("docker/Dockerfile");
        services.fieldNames()
                .forEachRemaining(
                        name -> assertThat(services.path(name).path("restart").asText())
                                .as("restart policy of service " + name)
                                .isIn("always", "unless-stopped", "on-failure"));
        JsonNode dbVolumes = services.at("/db/volumes");
        assertThat(texts(dbVolumes)).anyMatch(v -> v.endsWith(":/var/lib/postgresql/data") && !v.startsWith("."));
    }

    @Test
    void everyPasswordAndKeyComesFromTheEnvFileWhichGitAndTheBuildContextLeaveOut() throws IOException {
        JsonNode services = compose().path("services");
        Set<String> envExample = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of("docker/.env.example"))) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                envExample.add(line.substring(0, line.indexOf('=')).strip());
            }
        }
        List<String> secrets = new ArrayList<>();
        services.fieldNames()
                .forEachRemaining(service -> services.path(service)
                        .path("environment")
                        .fields()
                        .forEachRemaining(variable -> {
                            String value = variable.getValue().asText();
                            if (variable.getKey().matches(".*(PASSWORD|SECRET|_KEY).*")) {
                                secrets.add(service + "." + variable.getKey());
                                assertThat(value)
                                        .as("%s of %s must come from the env file", variable.getKey(), service)
                                        .matches(INTERPOLATION);
                            }
                            Matcher m = INTERPOLATION.matcher(value);
                            while (m.find()) {
                                assertThat(envExample)
                                        .as("docker/.env.example documents ${%s}", m.group(1))
                                        .contains(m.group(1));
                            }
                        }));
        assertThat(secrets)
                .contains(
                        "db.POSTGRES_PASSWORD",
                        "certloop.SPRING_DATASOURCE_PASSWORD",
                        "certloop.CERTLOOP_ADMIN_PASSWORD");
        assertThat(Files.readString(Path.of("docker/compose.yml"))).doesNotContainIgnoringCase("change-me");

        assertThat(Files.readAllLines(Path.of(".gitignore"))).contains("docker/.env");
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("data/", "target/", "docker/.env");
    }

    private static List<String> texts(JsonNode node) {
        return StreamSupport.stream(node.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
