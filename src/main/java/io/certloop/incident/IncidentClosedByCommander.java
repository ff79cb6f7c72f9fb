package io.certloop.incident;

/**
 * An incident commander closed the incident (with a reason). Published inside the transaction that
 * recorded it, so the runbook ends atomically with the record.
 */
public record IncidentClosedByCommander(String incidentId, String actor, String reason) {}
