package io.certloop.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.incident.TimelineTypes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every user task completion of an incident's runbook on its timeline: which task, and
 * the values of the task's form fields as submitted (fields whose key names a secret are left out).
 * The entry's actor is resolved by the incident service from the engine's current authentication:
 * the person completing the task in Tasklist or over REST. Attached to every user task of every
 * process by {@link TaskCompletionAuditPlugin}, so runbooks need not declare it.
 */
class TaskCompletionRecorder implements TaskListener {

    private static final Logger log = LoggerFactory.getLogger(TaskCompletionRecorder.class);
    /** Form field keys never copied to the timeline. */
    static final Pattern SECRET =
            Pattern.compile("(?i).*(password|passphrase|secret|token|private|credential|pin$|key$).*");

    private static final int VALUE_LIMIT = 2000;

    private final IncidentLog incidents;
    private final ObjectMapper json;

    TaskCompletionRecorder(IncidentLog incidents, ObjectMapper json) {
        this.incidents = incidents;
        this.json = json;
    }

    @Override
    public void notify(DelegateTask task) {
        String incidentId =
                task.getExecution() == null ? null : task.getExecution().getProcessBusinessKey();
        if (incidentId == null || !incidents.exists(incidentId)) {
            return;
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("task", task.getTaskDefinitionKey());
        detail.put("name", task.getName());
        detail.put("taskId", task.getId());
        detail.put("processInstanceId", task.getProcessInstanceId());
        if (task.getAssignee() != null) {
            detail.put("assignee", task.getAssignee());
        }
        detail.put("form", formValues(task));
        incidents.record(incidentId, TimelineTypes.TASK_COMPLETED, detail);
    }

    /** The submitted values of the task's deployed Camunda Form fields; empty when it has none. */
    private Map<String, Object> formValues(DelegateTask task) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : formKeys(task)) {
            if (SECRET.matcher(key).matches()) {
                values.put(key, "(withheld)");
                continue;
            }
            Object value = task.getVariable(key);
            if (value == null || value instanceof Boolean || value instanceof Number) {
                values.put(key, value);
            } else {
                String text = value.toString();
                values.put(key, text.length() > VALUE_LIMIT ? text.substring(0, VALUE_LIMIT) + "…" : text);
            }
        }
        return values;
    }

    private List<String> formKeys(DelegateTask task) {
        List<String> keys = new ArrayList<>();
        CommandContext command = Context.getCommandContext();
        // reading the form is CertLoop's own bookkeeping, not the completing user's request
        command.disableAuthorizationCheck();
        try (InputStream form = task.getProcessEngineServices().getFormService().getDeployedTaskForm(task.getId())) {
            collectKeys(json.readTree(form), keys);
        } catch (ProcessEngineException noDeployedForm) {
            log.debug("Task {} has no deployed form: {}", task.getId(), noDeployedForm.getMessage());
        } catch (IOException e) {
            log.warn("Cannot read the form of task {}: {}", task.getId(), e.getMessage());
        } finally {
            command.enableAuthorizationCheck();
        }
        return keys;
    }

    private static void collectKeys(JsonNode node, List<String> keys) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            JsonNode key = node.get("key");
            // disabled and read-only fields show the process's data; the person submitted only the others
            boolean input = !node.path("disabled").asBoolean(false)
                    && !node.path("readonly").asBoolean(false);
            if (key != null && key.isTextual() && node.has("type") && input && !keys.contains(key.asText())) {
                keys.add(key.asText());
            }
            node.fields().forEachRemaining(field -> collectKeys(field.getValue(), keys));
        } else if (node.isArray()) {
            node.forEach(child -> collectKeys(child, keys));
        }
    }
}
