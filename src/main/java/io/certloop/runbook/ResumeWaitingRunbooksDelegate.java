package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.outage.CaOutageService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * ca-outage: the issuer answers again. The outage is resolved on its record, and the message
 * {@code issuerRecovered} goes to every runbook waiting on this issuer (correlated by {@code waitingOnIssuer}), in
 * this transaction: they resume at their next issuance step.
 */
@Component("resumeWaitingRunbooksDelegate")
class ResumeWaitingRunbooksDelegate extends RunbookDelegate {

    private final CaOutageService outages;
    private final IncidentLog incidents;

    ResumeWaitingRunbooksDelegate(CaOutageService outages, IncidentLog incidents) {
        this.outages = outages;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        CaOutageService.Recovery recovery = outages.recovered(incidentId);
        List<String> resumed = WaitingRunbooks.wake(
                execution.getProcessEngineServices().getRuntimeService(),
                RunbookMessages.ISSUER_RECOVERED,
                recovery.issuer(),
                false);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", RunbookMessages.ISSUER_RECOVERED);
        detail.put("issuer", recovery.issuer());
        detail.put("runbooks", resumed);
        incidents.record(incidentId, TimelineTypes.RUNBOOKS_RESUMED, detail);
        execution.setVariable(RESOLUTION_REASON, "issuer " + recovery.issuer() + " answers again");
    }
}
