package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Before the runbook closes the incident: may it close? A close guard (a break-glass the PKI board has not
 * reviewed) makes the runbook wait for the review instead of failing at its close step; the wait is put on the
 * timeline once per reason. Read from the records, never from a variable.
 */
@Component("checkCloseGuardsDelegate")
class CheckCloseGuardsDelegate extends RunbookDelegate {

    private final IncidentLog incidents;

    CheckCloseGuardsDelegate(IncidentLog incidents) {
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        Optional<String> blocked = incidents.closeBlockedBecause(incidentId);
        String because = blocked.orElse(null);
        if (because != null && !because.equals(string(execution, CLOSE_BLOCKED_BECAUSE))) {
            incidents.record(incidentId, TimelineTypes.CLOSE_WAITING, Map.of("reason", because));
        }
        execution.setVariable(CLOSE_BLOCKED, blocked.isPresent());
        execution.setVariable(CLOSE_BLOCKED_BECAUSE, because);
    }
}
