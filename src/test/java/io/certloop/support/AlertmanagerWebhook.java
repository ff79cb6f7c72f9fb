package io.certloop.support;

import java.util.Map;
import java.util.stream.Collectors;

/** Alertmanager's webhook notification (version 4), rendered the way Alertmanager sends it. */
public final class AlertmanagerWebhook {

    private AlertmanagerWebhook() {}

    /** One alert as Alertmanager renders it in a webhook notification. */
    public static String alert(String status, String alertname, String instance, String fingerprint) {
        return alert(status, alertname, instance, fingerprint, Map.of());
    }

    /** One alert with extra labels (for example {@code certloop_endpoint}) before {@code instance}. */
    public static String alert(
            String status, String alertname, String instance, String fingerprint, Map<String, String> extraLabels) {
        String extra = extraLabels.entrySet().stream()
                .map(label -> "\"%s\": \"%s\",\n                    ".formatted(label.getKey(), label.getValue()))
                .collect(Collectors.joining());
        return """
                    {
                      "status": "%s",
                      "labels": {
                        "alertname": "%s",
                        %s"instance": "%s",
                        "job": "blackbox-https",
                        "severity": "critical"
                      },
                      "annotations": {
                        "description": "TLS certificate of %s",
                        "summary": "SSL certificate expires in 10 days"
                      },
                      "startsAt": "2026-03-01T09:58:30.123456789Z",
                      "endsAt": "%s",
                      "generatorURL": "http://prometheus:9090/graph?g0.expr=probe_ssl_earliest_cert_expiry+-+time%%28%%29+%%3C+86400&g0.tab=1",
                      "fingerprint": "%s"
                    }""".formatted(
                        status,
                        alertname,
                        extra,
                        instance,
                        instance,
                        "resolved".equals(status) ? "2026-03-01T10:20:30.123Z" : "0001-01-01T00:00:00Z",
                        fingerprint);
    }

    /** The envelope of Alertmanager's webhook (version 4), with a field a newer release might add. */
    public static String payload(String status, String... alerts) {
        return """
                {
                  "receiver": "certloop",
                  "status": "%s",
                  "alerts": [
                %s
                  ],
                  "groupLabels": {"alertname": "SSLCertExpired"},
                  "commonLabels": {"job": "blackbox-https", "severity": "critical"},
                  "commonAnnotations": {},
                  "externalURL": "http://alertmanager:9093",
                  "version": "4",
                  "groupKey": "{}/{severity=\\"critical\\"}:{alertname=\\"SSLCertExpired\\"}",
                  "truncatedAlerts": 0,
                  "futureField": {"added": "by a later Alertmanager"}
                }""".formatted(status, String.join(",\n", alerts));
    }

    /** A firing expiry alert that names the inventory endpoint by the {@code certloop_endpoint} label. */
    public static String firingFor(String endpoint) {
        return payload(
                "firing",
                alert(
                        "firing",
                        "SSLCertExpiringSoon",
                        "localhost:443",
                        "fp-" + endpoint + "-" + Long.toHexString(System.nanoTime()),
                        Map.of("certloop_endpoint", endpoint)));
    }
}
