package io.certloop.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.certloop.incident.Taxonomy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * docs/examples work as shipped: each Prometheus rule that Alertmanager's example routing sends to
 * CertLoop is turned into the alert Alertmanager would post (the rule's labels and annotations over
 * the labels of the series it fires on) and read by intake's own parser, which must find a taxonomy
 * category and a target; the receiver posts where the controller listens. The Grafana dashboard is
 * well-formed. (That every CertLoop series these files name is exported: {@code PrometheusScrapeIT}.)
 */
class ShippedExamplesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path EXAMPLES = Path.of("docs/examples");
    private static final Pattern MATCHER = Pattern.compile("\\s*(\\w+)\\s*(=~|!~|!=|=)\\s*\"(.*)\"\\s*");

    private final IntakeService intake = new IntakeService(null, null, new IntakeProperties(null), null, null, null);

    private record Rule(String alert, String expr, Map<String, String> labels, Map<String, String> annotations) {}

    private static List<Rule> rules() throws IOException {
        JsonNode file =
                YAML.readTree(EXAMPLES.resolve("prometheus/certloop-rules.yml").toFile());
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : file.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.has("alert"))
                        .as("only alerting rules: %s", rule)
                        .isTrue();
                rules.add(new Rule(
                        rule.path("alert").asText(),
                        rule.path("expr").asText(),
                        strings(rule.path("labels")),
                        strings(rule.path("annotations"))));
            }
        }
        return rules;
    }

    /** The targets blackbox_exporter probes in the example scrape configuration. */
    private static List<String> blackboxTargets() throws IOException {
        JsonNode prometheus =
                YAML.readTree(EXAMPLES.resolve("prometheus/prometheus.yml").toFile());
        assertThat(prometheus.path("rule_files").toString()).contains("certloop-rules.yml");
        for (JsonNode job : prometheus.path("scrape_configs")) {
            if (job.path("metrics_path").asText().equals("/probe")) {
                // the probed URL becomes `instance`, the label intake reads the target from
                boolean keepsTarget = false;
                for (JsonNode relabel : job.path("relabel_configs")) {
                    keepsTarget |= relabel.path("source_labels").toString().contains("__param_target")
                            && relabel.path("target_label").asText().equals("instance");
                }
                assertThat(keepsTarget)
                        .as("blackbox relabelling keeps the target as instance")
                        .isTrue();
                List<String> targets = new ArrayList<>();
                job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
                return targets;
            }
        }
        throw new AssertionError("no blackbox_exporter job in prometheus.yml");
    }

    /** The labels of the series a rule's expression fires on, as the example scrape configuration sets them. */
    private static List<Map<String, String>> seriesLabels(Rule rule) throws IOException {
        List<Map<String, String>> series = new ArrayList<>();
        if (rule.expr().contains("probe_ssl_")) {
            for (String target : blackboxTargets()) {
                series.add(Map.of("instance", target, "job", "blackbox-https"));
            }
        } else if (rule.expr().contains("certloop_endpoint_")) {
            series.add(Map.of("certloop_endpoint", "web-frontend", "instance", "certloop:8080", "job", "certloop"));
        } else {
            series.add(Map.of());
        }
        return series;
    }

    private static JsonNode alertmanager() throws IOException {
        return YAML.readTree(EXAMPLES.resolve("alertmanager/alertmanager.yml").toFile());
    }

    /** The receivers Alertmanager's routing tree picks for these labels (child routes in order, honouring continue). */
    private static List<String> receivers(JsonNode route, Map<String, String> labels) {
        List<String> picked = new ArrayList<>();
        for (JsonNode child : route.path("routes")) {
            if (matches(child, labels)) {
                picked.addAll(receivers(child, labels));
                if (!child.path("continue").asBoolean(false)) {
                    return picked;
                }
            }
        }
        picked.add(route.path("receiver").asText());
        return picked;
    }

    private static boolean matches(JsonNode route, Map<String, String> labels) {
        for (JsonNode matcher : route.path("matchers")) {
            Matcher m = MATCHER.matcher(matcher.asText());
            assertThat(m.matches()).as("matcher %s", matcher).isTrue();
            String value = labels.getOrDefault(m.group(1), "");
            boolean ok = switch (m.group(2)) {
                case "=" -> value.equals(m.group(3));
                case "!=" -> !value.equals(m.group(3));
                case "=~" -> value.matches(m.group(3));
                default -> !value.matches(m.group(3));
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyRuleRoutedToCertLoopNamesACategoryAndATargetIntakeUnderstands() throws IOException {
        JsonNode route = alertmanager().path("route");
        Set<String> routed = new HashSet<>();
        for (Rule rule : rules()) {
            assertThat(rule.annotations().get("summary"))
                    .as("%s summary (the incident's reason)", rule.alert())
                    .isNotBlank();
            for (Map<String, String> series : seriesLabels(rule)) {
                Map<String, String> labels = new LinkedHashMap<>(series);
                labels.putAll(rule.labels());
                labels.put("alertname", rule.alert());
                boolean toCertLoop = receivers(route, labels).contains("certloop");
                assertThat(toCertLoop)
                        .as("%s goes to CertLoop exactly when it names a category", rule.alert())
                        .isEqualTo(labels.containsKey(IntakeService.CATEGORY_LABEL));
                if (!toCertLoop) {
                    continue;
                }
                routed.add(rule.alert());
                for (String status : List.of("firing", "resolved")) {
                    AlertmanagerPayload.Alert alert = new AlertmanagerPayload.Alert(
                            status,
                            labels,
                            rule.annotations(),
                            Instant.parse("2026-03-01T10:00:00Z"),
                            null,
                            "http://prometheus:9090/graph",
                            "fp-" + rule.alert());
                    List<IntakeService.PlannedAlert> planned = intake.plan(new AlertmanagerPayload(
                            "4",
                            "{}:{}",
                            0,
                            status,
                            "certloop",
                            Map.of(),
                            Map.of(),
                            Map.of(),
                            "http://alertmanager:9093",
                            List.of(alert)));

                    assertThat(planned).hasSize(1);
                    IntakeService.PlannedAlert p = planned.get(0);
                    assertThat(p.category()).as("%s category", rule.alert()).isNotNull();
                    assertThat(Taxonomy.isCategory(p.category().category())).isTrue();
                    if (p.category().subcategory() != null) {
                        assertThat(Taxonomy.subcategoriesOf(p.category().category()))
                                .contains(p.category().subcategory());
                    }
                    if (series.containsKey("certloop_endpoint")) {
                        assertThat(p.endpointName()).isEqualTo(series.get("certloop_endpoint"));
                    } else {
                        assertThat(p.target())
                                .as("%s target from %s", rule.alert(), series)
                                .isNotNull();
                        assertThat(p.target())
                                .isEqualTo(Target.parse(series.get("instance")).orElseThrow());
                    }
                }
            }
        }
        assertThat(routed)
                .contains(
                        "SSLCertExpiringSoon",
                        "SSLCertExpired",
                        "CertLoopCertificateExpiringSoon",
                        "CertLoopCertificateExpired");
    }

    @Test
    void theBlackboxTargetsAreReadAsHostAndPort() throws IOException {
        assertThat(blackboxTargets())
                .extracting(t -> Target.parse(t).orElseThrow().toString())
                .containsExactly("www.example.com:443", "api.example.com:8443");
    }

    @Test
    void theReceiverPostsToTheWebhookAsAnAlertSenderWithResolvedAlerts() throws Exception {
        JsonNode receiver = null;
        for (JsonNode r : alertmanager().path("receivers")) {
            if (r.path("name").asText().equals("certloop")) {
                receiver = r.path("webhook_configs").get(0);
            }
        }
        assertThat(receiver).as("receiver certloop").isNotNull();
        String path = AlertmanagerController.class
                .getDeclaredMethod("receive", AlertmanagerPayload.class, io.certloop.system.security.Caller.class)
                .getAnnotation(PostMapping.class)
                .value()[0];

        assertThat(receiver.path("url").asText()).endsWith(path);
        assertThat(receiver.path("send_resolved").asBoolean()).isTrue();
        JsonNode auth = receiver.path("http_config").path("basic_auth");
        assertThat(auth.path("username").asText()).isNotBlank();
        assertThat(auth.has("password")).as("no password in the file").isFalse();
        assertThat(auth.path("password_file").asText()).isNotBlank();
        assertThat(Files.readString(EXAMPLES.resolve("alertmanager/alertmanager.yml")))
                .contains("`alert-senders`");
    }

    @Test
    void theGrafanaDashboardIsWellFormedAndQueriesThroughItsDataSourceInput() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(EXAMPLES.resolve("grafana/certloop-dashboard.json").toFile());

        assertThat(dashboard.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("unique panel id %s", panel.path("id"))
                    .isTrue();
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).isNotBlank();
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
            }
        }
        assertThat(dashboard.toString())
                .contains(
                        "certloop_endpoint_certificate_not_after_timestamp_seconds",
                        "certloop_incidents_open",
                        "certloop_runbook_step_duration_seconds_bucket",
                        "certloop_probe_duration_seconds_bucket");
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
