package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.Taxonomy;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Every affected endpoint presents a new certificate and key, verified live or replaced by hand (and, for a key
 * compromise, the certificates for the old key are revoked): the incident is resolved.
 */
@Component("recordKeyReplacedDelegate")
class RecordKeyReplacedDelegate extends RunbookDelegate {

    private final IncidentLog incidents;

    RecordKeyReplacedDelegate(IncidentLog incidents) {
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        boolean keyCompromise = Taxonomy.KEY_COMPROMISE.equals(string(execution, CATEGORY));
        String replaced = keyCompromise || string(execution, REPLACEMENT_ORDER) == null
                ? string(execution, AFFECTED_ENDPOINTS)
                : string(execution, REPLACEMENT_ORDER);
        String byHand = string(execution, ENDPOINTS_NEEDING_HANDS);
        String summary =
                (keyCompromise ? "revoked (keyCompromise): [" + string(execution, COMPROMISED_SERIALS) + "]; " : "")
                        + "replaced: [" + replaced + "]"
                        + (byHand == null || byHand.isEmpty() ? ", each verified live" : "; by hand: [" + byHand + "]");
        execution.setVariable(RESOLUTION_REASON, summary);
        incidents.resolved(incidentId(execution), summary);
    }
}
