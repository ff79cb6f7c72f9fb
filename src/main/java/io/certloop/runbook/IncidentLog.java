package io.certloop.runbook;

import java.util.Map;
import java.util.Optional;

/**
 * What the runbooks tell the incident record: timeline entries, resolution and closure. A port so
 * delegates stay thin and process tests can run on a bare engine.
 */
interface IncidentLog {

    void record(String incidentId, String type, Map<String, Object> detail);

    void resolved(String incidentId, String summary);

    /** Resolved on a person's word (they completed the handling task); recorded under their name. */
    default void resolvedBy(String incidentId, String actor, String summary) {
        resolved(incidentId, summary);
    }

    void closed(String incidentId, Map<String, Object> review);

    /** True when the id names an incident (runbooks of other records, such as exceptions, use other keys). */
    default boolean exists(String incidentId) {
        return true;
    }

    /** The inventory endpoint the incident is about, from the incident record. */
    String endpointOf(String incidentId);

    /** True while the incident still needs action (not resolved, not closed). */
    boolean stillOpen(String incidentId);

    /** Why the incident may not close yet (a break-glass the PKI board has not reviewed); empty when it may. */
    Optional<String> closeBlockedBecause(String incidentId);
}
