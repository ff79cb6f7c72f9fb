package io.certloop.incident;

/**
 * Published synchronously, inside the transaction that stored the incident, so a listener can
 * start the runbook with business key {@code incidentId} atomically: no incident without its
 * process, no process without its incident. A listener that throws rolls the incident back.
 *
 * @param subcategory null when the category has none
 * @param source      where it came from: {@code operator}, {@code alertmanager}, {@code probe}
 */
public record IncidentOpened(
        String incidentId,
        String endpointName,
        String category,
        String subcategory,
        int tier,
        String environment,
        Severity severity,
        String reason,
        String source) {}
