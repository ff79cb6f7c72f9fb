package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
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
        String recorded = RecordedDecisions.recorded(() -> rotations.resolveHalt(
                task.getExecution().getProcessBusinessKey(),
                RecordedDecisions.text(task, HALT_DECISION),
                decider(task),
                RecordedDecisions.text(task, DECISION_COMMENT)));
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
