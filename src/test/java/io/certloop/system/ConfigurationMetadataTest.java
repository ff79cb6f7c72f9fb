package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every {@code certloop.*} key an operator finds in the shipped configuration is bound by a
 * {@code @ConfigurationProperties} type, so the jar's metadata (what IDEs complete and document) knows it.
 */
class ConfigurationMetadataTest {

    @Test
    void everyShippedCertLoopKeyIsDescribedInTheJarsMetadata() throws IOException {
        Set<String> described = describedKeys();
        List<String> undescribed = new ArrayList<>();
        for (String file : List.of("application.yml", "application-postgres.yml")) {
            for (String key : shippedKeys(file)) {
                boolean bound = described.stream().anyMatch(d -> key.equals(d) || key.startsWith(d + "."));
                if (!bound) {
                    undescribed.add(file + ": " + key);
                }
            }
        }
        assertThat(undescribed).isEmpty();
    }

    @Test
    void metadataCarriesDescriptionsAndDefaults() throws IOException {
        JsonNode properties = metadata().path("properties");
        JsonNode allowlist = find(properties, "certloop.probe.allowlist");
        assertThat(allowlist.path("description").asText()).contains("probed");
        JsonNode demoPort = find(properties, "certloop.demo.port");
        assertThat(demoPort.path("defaultValue").asInt()).isEqualTo(8443);
    }

    private static JsonNode find(JsonNode properties, String name) {
        for (JsonNode property : properties) {
            if (name.equals(property.path("name").asText())) {
                return property;
            }
        }
        throw new AssertionError(name + " is not in the configuration metadata");
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream in =
                ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in)
                    .as("the configuration processor wrote the jar's metadata")
                    .isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static Set<String> describedKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        metadata().path("properties").forEach(p -> keys.add(p.path("name").asText()));
        return keys;
    }

    private static Set<String> shippedKeys(String resource) throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/" + resource)) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            Set<String> keys = new TreeSet<>();
            flatten("certloop", root.path("certloop"), keys);
            return keys;
        }
    }

    private static void flatten(String prefix, JsonNode node, Set<String> keys) {
        if (node.isObject() && node.size() > 0) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(prefix + "." + field.getKey(), field.getValue(), keys);
            }
        } else if (!node.isMissingNode()) {
            keys.add(prefix);
        }
    }
}
