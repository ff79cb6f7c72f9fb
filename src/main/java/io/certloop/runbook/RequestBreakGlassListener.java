package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.system.ConflictException;
import io.certloop.system.InvalidRequestException;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * An incident commander's Tasklist decision to break the glass: when the task's decision is {@code break-glass},
 * asks for it exactly as {@code POST /api/incidents/{id}/break-glass} does, as the person completing the task
 * (so four eyes applies to them), with the reason they gave. The runbook never does it by itself. A refusal (no
 * reason, incident not open, a break-glass already running) refuses the completion and the task stays open.
 */
@Component("requestBreakGlassListener")
class RequestBreakGlassListener implements TaskListener {

    static final String BREAK_GLASS = "break-glass";

    /** Which form field carries the decision, by task: each task's form declares its own. */
    static final Map<String, String> DECISION_FIELDS =
            Map.of("handleCaFailure", CA_DECISION, "escalateFailedReplacement", ESCALATION_DECISION);

    private final BreakGlassLog breakGlass;

    RequestBreakGlassListener(BreakGlassLog breakGlass) {
        this.breakGlass = breakGlass;
    }

    @Override
    public void notify(DelegateTask task) {
        String field = DECISION_FIELDS.get(task.getTaskDefinitionKey());
        if (field == null || !BREAK_GLASS.equals(task.getVariable(field))) {
            return;
        }
        String requester = FourEyesListener.decider(task);
        if (requester == null) {
            throw new AuthorizationException("a break-glass needs an authenticated incident commander");
        }
        Object reason = task.getVariable(BREAK_GLASS_REASON);
        try {
            breakGlass.request(
                    task.getExecution().getProcessBusinessKey(), reason == null ? null : reason.toString(), requester);
        } catch (InvalidRequestException e) {
            throw new FormFieldValidationException(BREAK_GLASS_REASON, BREAK_GLASS_REASON + ": " + e.getMessage());
        } catch (ConflictException e) {
            throw new FormFieldValidationException(field, field + ": " + e.getMessage());
        }
        task.setVariable(BREAK_GLASS_FROM, task.getTaskDefinitionKey());
    }
}
