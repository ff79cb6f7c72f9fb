package io.certloop.runbook;

import io.certloop.audit.ProcessHistory;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.springframework.stereotype.Component;

/**
 * Activity history from Camunda's history service; who completed a task from its user operation log; open tasks
 * from the task service.
 */
@Component
class CamundaProcessHistory implements ProcessHistory {

    private final HistoryService history;
    private final TaskService tasks;

    CamundaProcessHistory(HistoryService history, TaskService tasks) {
        this.history = history;
        this.tasks = tasks;
    }

    @Override
    public boolean available(String processInstanceId) {
        return processInstanceId != null
                && history.createHistoricProcessInstanceQuery()
                                .processInstanceId(processInstanceId)
                                .count()
                        > 0;
    }

    @Override
    public List<OpenTask> openTasks(String processInstanceId) {
        if (processInstanceId == null) {
            return List.of();
        }
        return tasks
                .createTaskQuery()
                .processInstanceId(processInstanceId)
                .orderByTaskCreateTime()
                .asc()
                .list()
                .stream()
                .map(t -> new OpenTask(
                        t.getId(), t.getName(), t.getTaskDefinitionKey(), instant(t.getCreateTime()), t.getAssignee()))
                .toList();
    }

    @Override
    public List<Activity> activities(String processInstanceId) {
        if (processInstanceId == null) {
            return List.of();
        }
        Map<String, String> completedBy = new HashMap<>();
        history.createUserOperationLogQuery()
                .processInstanceId(processInstanceId)
                .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE)
                .list()
                .forEach(op -> {
                    if (op.getTaskId() != null && op.getUserId() != null) {
                        completedBy.put(op.getTaskId(), op.getUserId());
                    }
                });
        return history
                .createHistoricActivityInstanceQuery()
                .processInstanceId(processInstanceId)
                .orderByHistoricActivityInstanceStartTime()
                .asc()
                .orderPartiallyByOccurrence()
                .asc()
                .list()
                .stream()
                .map(a -> new Activity(
                        a.getActivityId(),
                        a.getActivityName(),
                        a.getActivityType(),
                        instant(a.getStartTime()),
                        instant(a.getEndTime()),
                        a.getAssignee(),
                        a.getTaskId() == null ? null : completedBy.get(a.getTaskId())))
                .toList();
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
