package io.certloop.runbook;

import io.certloop.incident.Incident;
import io.certloop.incident.IncidentService;
import io.certloop.incident.TimelineTypes;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The runbooks' incident log is CertLoop's own incident record and its append-only timeline. */
@Component
class IncidentLogAdapter implements IncidentLog {

    private final IncidentService incidents;

    IncidentLogAdapter(IncidentService incidents) {
        this.incidents = incidents;
    }

    @Override
    public void record(String incidentId, String type, Map<String, Object> detail) {
        incidents.record(incidentId, type, detail);
    }

    @Override
    public void resolved(String incidentId, String summary) {
        incidents.resolve(incidentId, summary);
    }

    @Override
    public void resolvedBy(String incidentId, String actor, String summary) {
        incidents.resolve(incidentId, actor, summary);
    }

    @Override
    public void closed(String incidentId, Map<String, Object> review) {
        incidents.record(incidentId, TimelineTypes.POST_INCIDENT_REVIEW, review);
        incidents.close(incidentId, IncidentService.SYSTEM_ACTOR, review.isEmpty() ? "closed" : review.toString());
    }

    @Override
    public boolean exists(String incidentId) {
        return incidentId != null && incidents.find(incidentId).isPresent();
    }

    @Override
    public String endpointOf(String incidentId) {
        return incidents.get(incidentId).endpoint();
    }

    @Override
    public Optional<String> closeBlockedBecause(String incidentId) {
        return incidents.closeBlockedBecause(incidentId);
    }

    @Override
    public boolean stillOpen(String incidentId) {
        return incidents.find(incidentId).map(Incident::isOpen).orElse(false);
    }
}
