package io.certloop.incident;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Duration;

/**
 * How urgently an incident is handled, as decided by policy (the {@code incident-severity} DMN).
 * Levels are {@code SEV1} (most urgent) to {@code SEV4}; {@code SEV1} is what practitioners call a
 * "Tier 1" incident. Named SEV so they are never confused with an endpoint's tier (0-3).
 *
 * @param level                   SEV1..SEV4
 * @param responseSla             how soon someone must respond; the runbook escalates when it passes
 * @param updateCadence           how often stakeholders get a status update
 * @param pageIncidentCommander   whether the incident commander is paged at once
 * @param notifyExecutivesWithin  how soon executives must hear of it; null when they need not
 */
public record Severity(
        String level,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration responseSla,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration updateCadence,
        boolean pageIncidentCommander,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration notifyExecutivesWithin) {

    public static final String SEV1 = "SEV1";
    public static final String SEV2 = "SEV2";
    public static final String SEV3 = "SEV3";
    public static final String SEV4 = "SEV4";
}
