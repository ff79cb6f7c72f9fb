package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * On completing a runbook's handling task: the runbook remembers who completed it (the authenticated
 * user, else the assignee), for the resolution it records.
 */
@Component("recordTaskOutcomeListener")
class RecordTaskOutcomeListener implements TaskListener {

    @Override
    public void notify(DelegateTask task) {
        // The completion itself (who, and the form values) is on the timeline through the audit plugin's
        // listener on every user task; this one only tells the runbook who it was.
        Authentication authentication =
                task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String by = authentication != null && authentication.getUserId() != null
                ? authentication.getUserId()
                : task.getAssignee();
        task.setVariable(RESOLVED_BY, by);
    }
}
