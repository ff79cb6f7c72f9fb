package io.certloop.incident;

/**
 * An incident commander declared the incident resolved (by hand, with a reason). Published inside
 * the transaction that recorded it, so the runbook moves on to its review atomically with the record.
 */
public record IncidentResolvedByCommander(String incidentId, String actor, String reason) {}
