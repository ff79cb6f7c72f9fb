package io.certloop.runbook;

import io.certloop.system.security.Groups;
import jakarta.annotation.PostConstruct;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.TaskQuery;
import org.springframework.stereotype.Component;

/**
 * Tasklist filters so each group lands on its work: approvals waiting (approvers), exceptions to review and
 * overdue break-glass reviews (PKI board), incident tasks (incident commanders). Created at every start when
 * missing (by name), so an edited filter is kept; every CertLoop group may read filters (IdentityBootstrap).
 */
@Component
class TasklistFilters {

    static final String APPROVALS_WAITING = "Approvals waiting";
    static final String EXCEPTIONS_TO_REVIEW = "Exceptions to review";
    static final String OVERDUE_BREAK_GLASS_REVIEWS = "Overdue break-glass reviews";
    static final String INCIDENT_TASKS = "Incident tasks";

    private final FilterService filters;
    private final TaskService tasks;

    TasklistFilters(FilterService filters, TaskService tasks) {
        this.filters = filters;
        this.tasks = tasks;
    }

    @PostConstruct
    void create() {
        ensure(
                APPROVALS_WAITING,
                -10,
                "Break-glass approvals and certificates to supply: what approvers decide",
                tasks.createTaskQuery().taskCandidateGroup(Groups.APPROVERS).includeAssignedTasks());
        ensure(
                EXCEPTIONS_TO_REVIEW,
                -9,
                "Policy exceptions waiting for the PKI board's decision",
                tasks.createTaskQuery()
                        .processDefinitionKey(GovernanceLauncher.EXCEPTION_REVIEW)
                        .taskDefinitionKey("reviewException"));
        ensure(
                OVERDUE_BREAK_GLASS_REVIEWS,
                -8,
                "Break-glass post-event reviews past their due date",
                tasks.createTaskQuery()
                        .processDefinitionKey(GovernanceLauncher.BREAK_GLASS)
                        .taskDefinitionKey("reviewBreakGlass")
                        .dueBeforeExpression("${now()}"));
        ensure(
                INCIDENT_TASKS,
                -7,
                "Everything incident commanders decide or review",
                tasks.createTaskQuery()
                        .taskCandidateGroup(Groups.INCIDENT_COMMANDERS)
                        .includeAssignedTasks());
    }

    private void ensure(String name, int priority, String description, TaskQuery query) {
        if (filters.createFilterQuery().filterName(name).count() > 0) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("description", description);
        properties.put("priority", priority);
        properties.put("refresh", true);
        Filter filter = filters.newTaskFilter(name).setQuery(query).setProperties(properties);
        filters.saveFilter(filter);
    }
}
