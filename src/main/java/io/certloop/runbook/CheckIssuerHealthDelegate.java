package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.outage.CaOutageService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * ca-outage: one bounded question to the issuer (the outage runbook's timer asks again); the waiting runbooks do
 * not poll, they wait for the message this runbook sends when the answer is yes.
 */
@Component("checkIssuerHealthDelegate")
class CheckIssuerHealthDelegate extends RunbookDelegate {

    private final CaOutageService outages;

    CheckIssuerHealthDelegate(CaOutageService outages) {
        this.outages = outages;
    }

    @Override
    void run(DelegateExecution execution) {
        execution.setVariable(ISSUER_ANSWERS, outages.answers(incidentId(execution)));
    }
}
