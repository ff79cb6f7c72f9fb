package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * On completing {@code approveRotation}: records the approver's decision on the rotation record as the authenticated
 * user, in the completing transaction, and hands the process what the record now says. Runs after
 * {@link FourEyesListener}; the record checks four eyes again.
 */
@Component("recordRotationApprovalListener")
class RecordRotationApprovalListener implements TaskListener {

    private final RotationLog rotations;

    RecordRotationApprovalListener(RotationLog rotations) {
        this.rotations = rotations;
    }

    @Override
    public void notify(DelegateTask task) {
        boolean approve = RecordedDecisions.approves(task, ROTATION_DECISION);
        boolean running = RecordedDecisions.recorded(() -> rotations.decide(
                task.getExecution().getProcessBusinessKey(),
                FourEyesListener.decider(task),
                approve,
                RecordedDecisions.text(task, DECISION_COMMENT)));
        task.setVariable(ROTATION_APPROVED, running);
    }
}
