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
 * ca-outage: an approver allowed the fallback. The message {@code fallbackIssuerApproved} goes to the runbooks
 * waiting on this issuer whose profile names a fallback; each issues through it (its issuance step reads the
 * approval from the outage record, not from this message). The others keep waiting for the issuer.
 */
@Component("useFallbackIssuerDelegate")
class UseFallbackIssuerDelegate extends RunbookDelegate {

    private final CaOutageService outages;
    private final IncidentLog incidents;

    UseFallbackIssuerDelegate(CaOutageService outages, IncidentLog incidents) {
        this.outages = outages;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        String issuer = outages.issuerOf(incidentId).orElseThrow();
        List<String> rerouted = WaitingRunbooks.wake(
                execution.getProcessEngineServices().getRuntimeService(),
                RunbookMessages.FALLBACK_ISSUER_APPROVED,
                issuer,
                true);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", RunbookMessages.FALLBACK_ISSUER_APPROVED);
        detail.put("issuer", issuer);
        detail.put("runbooks", rerouted);
        incidents.record(incidentId, TimelineTypes.RUNBOOKS_RESUMED, detail);
    }
}
