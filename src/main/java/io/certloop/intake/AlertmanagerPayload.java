package io.certloop.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
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
            annotations = annotations == null ? Map.of() : annotations;
        }

        String alertname() {
            return labels.getOrDefault("alertname", "");
        }
    }
}
