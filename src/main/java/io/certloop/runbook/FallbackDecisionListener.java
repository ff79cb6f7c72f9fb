package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.outage.CaOutageService;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * ca-outage, on completing {@code decideFallback} (an incident commander asks for the fallback) and
 * {@code approveFallbackIssuer} (an approver decides): the outage record keeps who asked and who decided, under
 * the user the engine authenticated. The request is what {@link FourEyesListener} reads, so the approver is never
 * the person who asked.
 */
@Component("fallbackDecisionListener")
class FallbackDecisionListener implements TaskListener {

    static final String DECIDE_FALLBACK = "decideFallback";
    static final String APPROVE_FALLBACK = "approveFallbackIssuer";

    private final CaOutageService outages;

    FallbackDecisionListener(CaOutageService outages) {
        this.outages = outages;
    }

    @Override
    public void notify(DelegateTask task) {
        String who = FourEyesListener.decider(task);
        if (who == null) {
            throw new AuthorizationException("a fallback decision needs an authenticated user");
        }
        String incidentId = task.getExecution().getProcessBusinessKey();
        if (DECIDE_FALLBACK.equals(task.getTaskDefinitionKey())) {
            if (Boolean.TRUE.equals(task.getVariable(FALLBACK_REQUESTED))) {
                outages.fallbackRequested(incidentId, who);
            }
        } else if (APPROVE_FALLBACK.equals(task.getTaskDefinitionKey())) {
            Object comment = task.getVariable(DECISION_COMMENT);
            outages.fallbackDecided(
                    incidentId,
                    who,
                    Boolean.TRUE.equals(task.getVariable(FALLBACK_APPROVED)),
                    comment == null ? null : comment.toString());
        }
    }
}
