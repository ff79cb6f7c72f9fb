package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * After a break-glass the runbook asked for has ended its emergency part: is the incident still open? The
 * incident record decides (the break-glass resolves it once its certificate is verified live).
 */
@Component("checkIncidentOpenDelegate")
class CheckIncidentOpenDelegate extends RunbookDelegate {

    private final IncidentLog incidents;

    CheckIncidentOpenDelegate(IncidentLog incidents) {
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        execution.setVariable(INCIDENT_OPEN, incidents.stillOpen(incidentId(execution)));
    }
}
