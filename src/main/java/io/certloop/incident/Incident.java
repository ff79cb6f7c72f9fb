package io.certloop.incident;

import java.time.Instant;

/**
 * A certificate incident. Its id ({@code INC-2026-000123}) is the business key of the runbook
 * process, so people, logs, mails and Cockpit all speak of the same thing.
 */
public record Incident(
        String id,
        String category,
        String subcategory,
        String endpoint,
        int tier,
        String environment,
        Severity severity,
        IncidentState state,
        String reason,
        String resolution,
        String processInstanceId,
        Instant openedAt,
        Instant updatedAt,
        Instant resolvedAt,
        Instant closedAt) {

    public boolean isOpen() {
        return state == IncidentState.OPEN;
    }
}
