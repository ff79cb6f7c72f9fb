package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.outage.CaOutageService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * ca-outage: which issuer the incident is about, from its outage record (none for one opened by hand, which a
 * person handles), whether any profile names a fallback, and how often the issuer is asked again.
 */
@Component("identifyIssuerDelegate")
class IdentifyIssuerDelegate extends RunbookDelegate {

    private final CaOutageService outages;

    IdentifyIssuerDelegate(CaOutageService outages) {
        this.outages = outages;
    }

    @Override
    void run(DelegateExecution execution) {
        String issuer = outages.issuerOf(incidentId(execution)).orElse(null);
        execution.setVariable(ISSUER, issuer);
        execution.setVariable(FALLBACK_CONFIGURED, issuer != null && outages.fallbackConfigured(issuer));
        execution.setVariable(
                HEALTH_CHECK_INTERVAL, outages.healthCheckInterval().toString());
        execution.setVariable(FALLBACK_REQUESTED, false);
        execution.setVariable(FALLBACK_APPROVED, false);
    }
}
