package io.certloop.runbook;

import io.certloop.incident.TimelineTypes;

import static io.certloop.runbook.RunbookVariables.*;

import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * On completing a runbook's handling task: who completed it (the authenticated user, else the
 * assignee) and what they wrote go on the incident timeline, and the runbook remembers who it was.
 */
@Component("recordTaskOutcomeListener")
class RecordTaskOutcomeListener implements TaskListener {

    private final IncidentLog incidents;

    RecordTaskOutcomeListener(IncidentLog incidents) {
        this.incidents = incidents;
    }

    @Override
    public void notify(DelegateTask task) {
        Authentication authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String by = authentication != null && authentication.getUserId() != null ? authentication.getUserId()
                : task.getAssignee();
        task.setVariable(RESOLVED_BY, by);
        Map<String, Object> detail = new HashMap<>();
        detail.put("task", task.getTaskDefinitionKey());
        detail.put("name", task.getName());
        detail.put("completedBy", by == null ? "unknown" : by);
        Object message = task.getVariable("ownerMessage");
        if (message != null) {
            detail.put("ownerMessage", message.toString());
        }
        Object notes = task.getVariable(HANDLING_NOTES);
        if (notes != null) {
            detail.put("notes", notes.toString());
        }
        incidents.record(task.getExecution().getProcessBusinessKey(), TimelineTypes.TASK_COMPLETED, detail);
    }
}
