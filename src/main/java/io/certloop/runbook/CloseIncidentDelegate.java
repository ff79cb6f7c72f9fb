package io.certloop.runbook;

import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Closes the incident with what the review recorded (the review form's variables). */
@Component("closeIncidentDelegate")
class CloseIncidentDelegate extends RunbookDelegate {

    private static final String[] REVIEW_FIELDS = {
        "rootCause",
        "detectionGap",
        "timeSpent",
        "pattern",
        "operatingModelChange",
        "notCertificateCause",
        "reviewNotes"
    };

    private final IncidentLog incidents;

    CloseIncidentDelegate(IncidentLog incidents) {
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        Map<String, Object> review = new HashMap<>();
        for (String field : REVIEW_FIELDS) {
            Object value = execution.getVariable(field);
            if (value != null) {
                review.put(field, value);
            }
        }
        incidents.closed(incidentId(execution), review);
    }
}
