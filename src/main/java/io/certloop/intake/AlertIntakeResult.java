package io.certloop.intake;

import java.util.List;

/**
 * What one webhook call did, alert by alert, so whoever reads Alertmanager's logs or the response
 * sees why nothing happened for an alert.
 *
 * @param incidents           incidents opened or (deduplicated) added to by firing alerts
 * @param deduplicated        those of {@code incidents} that were already open
 * @param resolvedRecordedOn  open incidents on whose timeline a resolved alert was recorded
 * @param triage              targets outside the inventory handed to triage
 * @param ignored             alerts that led to nothing, with the reason
 */
public record AlertIntakeResult(
        List<String> incidents,
        List<String> deduplicated,
        List<String> resolvedRecordedOn,
        List<Triage> triage,
        List<Ignored> ignored) {

    public record Triage(String target, String alertname) {}

    public record Ignored(String alertname, String fingerprint, String reason) {}
}
