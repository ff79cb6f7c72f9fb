package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.outage.CaOutageService;
import io.certloop.outage.CaOutageService.FailureOutcome;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The issuance failed: the issuer's failure is counted on its record. With a ca-outage open for the issuer (or
 * opened by this very failure) the runbook is linked to it and waits, subscribed by {@code waitingOnIssuer} to the
 * messages the outage runbook sends; below the threshold it tries again after a while; a refusal goes to a person.
 */
@Component("recordIssuerFailureDelegate")
class RecordIssuerFailureDelegate extends RunbookDelegate {

    private final CaOutageService outages;

    RecordIssuerFailureDelegate(CaOutageService outages) {
        this.outages = outages;
    }

    @Override
    void run(DelegateExecution execution) {
        String issuer = string(execution, ISSUANCE_PATH);
        if (issuer == null) {
            issuer = string(execution, REPLACEMENT_PATH);
        }
        String hint = string(execution, CA_RETRY_HINT);
        FailureOutcome outcome = outages.issuanceFailed(
                incidentId(execution),
                issuer,
                string(execution, CA_FAILURE_REASON),
                Boolean.TRUE.equals(execution.getVariable(CA_UNAVAILABLE)),
                hint == null ? null : Instant.parse(hint));
        execution.setVariable(CA_OUTAGE_INCIDENT, outcome.outageIncidentId());
        execution.setVariable(WAITING_ON_ISSUER, outcome.waitOnOutage() ? outcome.issuer() : null);
        execution.setVariable(FALLBACK_AVAILABLE, outcome.fallbackAvailable());
        execution.setVariable(CA_RETRY_AFTER, outcome.retryAfter().toString());
    }
}
