package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * A person completed the runbook's handling task: the incident is resolved on their word, recorded
 * under their name with what they wrote, and the review that follows asks why it happened.
 */
@Component("recordHandlingDelegate")
class RecordHandlingDelegate extends RunbookDelegate {

    private final IncidentLog incidents;

    RecordHandlingDelegate(IncidentLog incidents) {
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String by = string(execution, RESOLVED_BY);
        String notes = string(execution, HANDLING_NOTES);
        String summary = "handled by " + (by == null ? "a person" : by) + (notes == null ? "" : ": " + notes);
        execution.setVariable(RESOLUTION_REASON, summary);
        incidents.resolvedBy(incidentId(execution), by, summary);
    }
}
