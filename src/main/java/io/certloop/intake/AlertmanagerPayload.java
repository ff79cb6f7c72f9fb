package io.certloop.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus Alertmanager's webhook body, version 4, exactly as Alertmanager sends it. Fields a
 * later Alertmanager adds are ignored rather than refused, so an upgrade never silences alerts.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record AlertmanagerPayload(
        String version,
        String groupKey,
        Integer truncatedAlerts,
        String status,
        String receiver,
        Map<String, String> groupLabels,
        Map<String, String> commonLabels,
        Map<String, String> commonAnnotations,
        String externalURL,
        List<Alert> alerts) {

    static final String FIRING = "firing";
    static final String RESOLVED = "resolved";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Alert(
            String status,
            Map<String, String> labels,
            Map<String, String> annotations,
            Instant startsAt,
            Instant endsAt,
            String generatorURL,
            String fingerprint) {

        Alert {
            // a label or annotation sent as null says nothing: dropped, so no null reaches maps that refuse one
            labels = labels == null ? null : withoutNulls(labels);
            annotations = annotations == null ? Map.of() : withoutNulls(annotations);
        }

        private static Map<String, String> withoutNulls(Map<String, String> values) {
            Map<String, String> copy = new LinkedHashMap<>();
            values.forEach((name, value) -> {
                if (name != null && value != null) {
                    copy.put(name, value);
                }
            });
            return copy;
        }

        String alertname() {
            return labels.getOrDefault("alertname", "");
        }
    }
}
