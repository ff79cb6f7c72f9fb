package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.system.ConflictException;
import io.certloop.system.FieldError;
import io.certloop.system.ForbiddenException;
import io.certloop.system.InvalidRequestException;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * On completing {@code approveRotation}: records the approver's decision on the rotation record as the authenticated
 * user, in the completing transaction, and hands the process what the record now says. Runs after
 * {@link FourEyesListener}; the record checks four eyes again.
 */
@Component("recordRotationApprovalListener")
class RecordRotationApprovalListener implements TaskListener {

    static final String APPROVE = "approve";
    static final String REJECT = "reject";

    private final RotationLog rotations;

    RecordRotationApprovalListener(RotationLog rotations) {
        this.rotations = rotations;
    }

    @Override
    public void notify(DelegateTask task) {
        Object decision = task.getVariable(ROTATION_DECISION);
        if (!APPROVE.equals(decision) && !REJECT.equals(decision)) {
            throw new FormFieldValidationException(
                    ROTATION_DECISION, ROTATION_DECISION + ": must be approve or reject");
        }
        Object comment = task.getVariable(DECISION_COMMENT);
        boolean running;
        try {
            running = rotations.decide(
                    task.getExecution().getProcessBusinessKey(),
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
        task.setVariable(ROTATION_APPROVED, running);
    }
}
