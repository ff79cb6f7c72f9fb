package io.certloop.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.deployment.AgentTopics;
import io.certloop.fleet.AgentPolls;
import io.certloop.system.BufferedBody;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.ExternalTask;

/**
 * What a member of {@code agents} may do on the engine API: take agent steps (fetch-and-lock on agent topics only),
 * answer them with the agent's own variables ({@link AgentTopics#CSR}, {@link AgentTopics#OUTCOME},
 * {@link AgentTopics#OUTPUT}, as local variables), report a failure or the BPMN error {@link AgentTopics#FAILURE},
 * extend a lock: on tasks of agent topics, nothing else. Anything else is refused before the engine sees it; the
 * engine's authorizations (READ_INSTANCE and UPDATE_INSTANCE on the agent runbooks only) are the second wall.
 * Every fetch is recorded as the agent's poll ({@link AgentPolls}).
 */
final class AgentRestGuard {

    static final String VERSION_HEADER = "X-CertLoop-Agent-Version";
    private static final String FETCH = "/engine-rest/external-task/fetchAndLock";
    private static final Pattern TASK_ACTION =
            Pattern.compile("/engine-rest/external-task/([A-Za-z0-9-]{1,64})/(complete|failure|bpmnError|extendLock)");
    private static final Set<String> ANSWERS = Set.of(AgentTopics.CSR, AgentTopics.OUTCOME, AgentTopics.OUTPUT);
    private static final int MAX_BODY = 64 * 1024;

    private final ExternalTaskService tasks;
    private final AgentPolls polls;
    private final ObjectMapper json = new ObjectMapper();

    AgentRestGuard(ExternalTaskService tasks, AgentPolls polls) {
        this.tasks = tasks;
        this.polls = polls;
    }

    /** The outcome: the request to pass on (its body readable again), or why it is refused. */
    record Decision(HttpServletRequest request, String refusal) {}

    Decision check(HttpServletRequest request, String path, String userId) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            return refused("agents may only take and answer agent steps");
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            return refused("the body is too large for an agent's request");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            return refused("the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            return refused("the body is not a JSON object");
        }
        Optional<String> refusal;
        if (FETCH.equals(path)) {
            refusal = fetch(node, request, userId);
        } else {
            Matcher action = TASK_ACTION.matcher(path);
            refusal = action.matches()
                    ? answer(action.group(1), action.group(2), node)
                    : Optional.of("agents may only take and answer agent steps");
        }
        return refusal.map(AgentRestGuard::refused)
                .orElseGet(() -> new Decision(new BufferedBody(request, body), null));
    }

    private Optional<String> fetch(JsonNode node, HttpServletRequest request, String userId) {
        JsonNode topics = node.path("topics");
        if (!topics.isArray() || topics.isEmpty()) {
            return Optional.of("a fetch names the agent topics it serves");
        }
        Set<String> groups = new LinkedHashSet<>();
        for (JsonNode topic : topics) {
            Optional<String> group = AgentTopics.groupOf(topic.path("topicName").asText(null));
            if (group.isEmpty()) {
                return Optional.of("agents may fetch agent topics only");
            }
            if (!empty(topic.path("processVariables"))
                    || topic.path("variables").isNull()) {
                return Optional.of("an agent fetch names the variables it reads");
            }
            groups.add(group.get());
        }
        String workerId = node.path("workerId").asText(null);
        for (String group : groups) {
            polls.record(group, workerId, request.getHeader(VERSION_HEADER), userId);
        }
        return Optional.empty();
    }

    private Optional<String> answer(String taskId, String action, JsonNode node) {
        ExternalTask task =
                tasks.createExternalTaskQuery().externalTaskId(taskId).singleResult();
        if (task == null || AgentTopics.groupOf(task.getTopicName()).isEmpty()) {
            return Optional.of("not an agent step");
        }
        if (!empty(node.path("variables"))) {
            return Optional.of("agents answer with local variables only");
        }
        switch (action) {
            case "complete" -> {
                List<String> unknown = new ArrayList<>();
                for (Iterator<String> names = node.path("localVariables").fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!ANSWERS.contains(name)) {
                        unknown.add(name);
                    }
                }
                if (!unknown.isEmpty()) {
                    return Optional.of("agents may answer " + ANSWERS + " only, not " + unknown);
                }
            }
            case "bpmnError" -> {
                if (!AgentTopics.FAILURE.equals(node.path("errorCode").asText(null))) {
                    return Optional.of("agents report the BPMN error " + AgentTopics.FAILURE + " only");
                }
            }
            case "failure" -> {
                if (!empty(node.path("localVariables"))) {
                    return Optional.of("a failure carries no variables");
                }
            }
            default -> {
                // extendLock: the engine checks the worker holds the lock
            }
        }
        return Optional.empty();
    }

    private static boolean empty(JsonNode node) {
        return node.isMissingNode() || node.isNull() || (node.isObject() && node.isEmpty());
    }

    private static Decision refused(String why) {
        return new Decision(null, why);
    }
}
