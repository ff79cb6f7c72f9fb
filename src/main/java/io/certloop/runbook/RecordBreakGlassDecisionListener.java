package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * On completing {@code approveBreakGlass}: records this approver's decision on the break-glass record as the
 * authenticated user (refused for the requester and for a second approval by the same person), and hands the
 * process what the record now says: still pending (another, different approver is needed), approved (with the
 * review's due date) or rejected.
 */
@Component("recordBreakGlassDecisionListener")
class RecordBreakGlassDecisionListener implements TaskListener {

    private final BreakGlassLog breakGlass;

    RecordBreakGlassDecisionListener(BreakGlassLog breakGlass) {
        this.breakGlass = breakGlass;
    }

    @Override
    public void notify(DelegateTask task) {
        boolean approve = RecordedDecisions.approves(task, BREAK_GLASS_DECISION);
        BreakGlassLog.Decided decided = RecordedDecisions.recorded(() -> breakGlass.decide(
                task.getProcessInstanceId(),
                FourEyesListener.decider(task),
                approve,
                RecordedDecisions.text(task, DECISION_COMMENT)));
        task.setVariable(BREAK_GLASS_STATE, decided.state());
        task.setVariable(APPROVALS, decided.approvals());
        if (decided.reviewDueAt() != null) {
            task.setVariable(REVIEW_DUE, Date.from(decided.reviewDueAt()));
        }
    }
}
