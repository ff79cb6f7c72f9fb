package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.system.ConflictException;
import io.certloop.system.FieldError;
import io.certloop.system.InvalidRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * On completing {@code decideHaltedRotation}: records the incident commander's continue, retry or abort on the
 * rotation record as the authenticated user; the gateway then follows what the record took.
 */
@Component("recordRotationHaltDecisionListener")
class RecordRotationHaltDecisionListener implements TaskListener {

    private final RotationLog rotations;

    RecordRotationHaltDecisionListener(RotationLog rotations) {
        this.rotations = rotations;
    }

    @Override
    public void notify(DelegateTask task) {
        Object decision = task.getVariable(HALT_DECISION);
        Object comment = task.getVariable(DECISION_COMMENT);
        String recorded;
        try {
            recorded = rotations.resolveHalt(
                    task.getExecution().getProcessBusinessKey(),
                    decision == null ? null : decision.toString(),
                    decider(task),
                    comment == null ? null : comment.toString());
        } catch (InvalidRequestException e) {
            FieldError first = e.errors().get(0);
            throw new FormFieldValidationException(first.field(), e.getMessage());
        } catch (ConflictException e) {
            throw new ProcessEngineException(e.getMessage(), e);
        }
        task.setVariable(HALT_DECISION, recorded);
    }

    /** The authenticated user completing the task; its assignee, or CertLoop, when the engine knows nobody. */
    private static String decider(DelegateTask task) {
        String user = FourEyesListener.decider(task);
        if (user != null) {
            return user;
        }
        return task.getAssignee() != null ? task.getAssignee() : "certloop";
    }
}
