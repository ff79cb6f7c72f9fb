package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.system.ConflictException;
import io.certloop.system.FieldError;
import io.certloop.system.ForbiddenException;
import io.certloop.system.InvalidRequestException;
import java.util.Date;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * On completing {@code approveBreakGlass}: records this approver's decision on the break-glass record as the
 * authenticated user (refused for the requester and for a second approval by the same person), and hands the
 * process what the record now says: still pending (another, different approver is needed), approved (with the
 * review's due date) or rejected.
 */
@Component("recordBreakGlassDecisionListener")
class RecordBreakGlassDecisionListener implements TaskListener {

    static final String APPROVE = "approve";
    static final String REJECT = "reject";

    private final BreakGlassLog breakGlass;

    RecordBreakGlassDecisionListener(BreakGlassLog breakGlass) {
        this.breakGlass = breakGlass;
    }

    @Override
    public void notify(DelegateTask task) {
        Object decision = task.getVariable(BREAK_GLASS_DECISION);
        if (!APPROVE.equals(decision) && !REJECT.equals(decision)) {
            throw new FormFieldValidationException(
                    BREAK_GLASS_DECISION, BREAK_GLASS_DECISION + ": must be approve or reject");
        }
        Object comment = task.getVariable(DECISION_COMMENT);
        BreakGlassLog.Decided decided;
        try {
            decided = breakGlass.decide(
                    task.getProcessInstanceId(),
                    FourEyesListener.decider(task),
                    APPROVE.equals(decision),
                    comment == null ? null : comment.toString());
        } catch (ForbiddenException e) {
            throw new AuthorizationException(e.getMessage());
        } catch (InvalidRequestException e) {
            FieldError first = e.errors().get(0);
            throw new FormFieldValidationException(first.field(), e.getMessage());
        } catch (ConflictException e) {
            throw new ProcessEngineException(e.getMessage(), e);
        }
        task.setVariable(BREAK_GLASS_STATE, decided.state());
        task.setVariable(APPROVALS, decided.approvals());
        if (decided.reviewDueAt() != null) {
            task.setVariable(REVIEW_DUE, Date.from(decided.reviewDueAt()));
        }
    }
}
