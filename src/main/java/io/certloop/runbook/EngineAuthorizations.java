package io.certloop.runbook;

import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import io.certloop.system.security.Groups;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;

/**
 * The engine authorizations of every CertLoop group, in one place (docs/security.md shows them as a matrix).
 * People read runbooks and work the tasks they are candidates for (Camunda's {@code TASK_WORK}: claim and complete,
 * with the form's fields only); only {@code camunda-admin} may start or modify process instances, set or delete
 * variables, deploy, or change users and authorizations. Runbooks are started by CertLoop itself, never by a person.
 *
 * <p>Applied at every start: each listed grant is set to exactly these permissions, and whatever a group was
 * granted earlier that only an administrator may do is taken away (including {@code UPDATE} on tasks created
 * before {@code TASK_WORK} became the candidates' permission).
 */
final class EngineAuthorizations {

    /** One grant: the group, the resource and its id ({@code *} = every one), the permissions. */
    record Grant(String group, Resource resource, String resourceId, Set<Permission> permissions) {}

    /** Groups that open Cockpit (read process instances, their tasks and history). */
    static final List<String> COCKPIT =
            List.of(Groups.OPERATORS, Groups.INCIDENT_COMMANDERS, Groups.PKI_BOARD, Groups.AUDITORS);

    /** What only an administrator may do, per resource; taken from every other grant of a CertLoop group. */
    static final Map<Resource, List<Permission>> ADMIN_ONLY = Map.of(
            Resources.PROCESS_INSTANCE,
                    List.of(
                            ProcessInstancePermissions.CREATE,
                            ProcessInstancePermissions.UPDATE,
                            ProcessInstancePermissions.DELETE,
                            ProcessInstancePermissions.SUSPEND,
                            ProcessInstancePermissions.UPDATE_VARIABLE),
            Resources.PROCESS_DEFINITION,
                    List.of(
                            ProcessDefinitionPermissions.UPDATE,
                            ProcessDefinitionPermissions.DELETE,
                            ProcessDefinitionPermissions.CREATE_INSTANCE,
                            ProcessDefinitionPermissions.UPDATE_INSTANCE,
                            ProcessDefinitionPermissions.DELETE_INSTANCE,
                            ProcessDefinitionPermissions.UPDATE_TASK,
                            ProcessDefinitionPermissions.TASK_WORK,
                            ProcessDefinitionPermissions.TASK_ASSIGN,
                            ProcessDefinitionPermissions.MIGRATE_INSTANCE,
                            ProcessDefinitionPermissions.SUSPEND,
                            ProcessDefinitionPermissions.SUSPEND_INSTANCE,
                            ProcessDefinitionPermissions.UPDATE_INSTANCE_VARIABLE,
                            ProcessDefinitionPermissions.UPDATE_TASK_VARIABLE,
                            ProcessDefinitionPermissions.DELETE_HISTORY,
                            ProcessDefinitionPermissions.UPDATE_HISTORY),
            Resources.TASK,
                    List.of(
                            TaskPermissions.CREATE,
                            TaskPermissions.UPDATE,
                            TaskPermissions.DELETE,
                            TaskPermissions.TASK_ASSIGN,
                            TaskPermissions.UPDATE_VARIABLE),
            Resources.DEPLOYMENT, List.of(Permissions.CREATE, Permissions.DELETE),
            Resources.DECISION_DEFINITION, List.of(Permissions.CREATE_INSTANCE, Permissions.UPDATE),
            Resources.AUTHORIZATION, List.of(Permissions.CREATE, Permissions.UPDATE, Permissions.DELETE),
            Resources.GROUP, List.of(Permissions.CREATE, Permissions.UPDATE, Permissions.DELETE),
            Resources.GROUP_MEMBERSHIP, List.of(Permissions.CREATE, Permissions.DELETE));

    private EngineAuthorizations() {}

    /** Every grant; a group absent here ({@code alert-senders}) has none. */
    static List<Grant> grants() {
        Map<String, Grant> merged = new LinkedHashMap<>();
        String all = Authorization.ANY;
        for (String group : Groups.CERTLOOP) {
            add(merged, group, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            add(merged, group, Resources.FILTER, all, Permissions.READ);
            add(
                    merged,
                    group,
                    Resources.PROCESS_DEFINITION,
                    all,
                    ProcessDefinitionPermissions.READ,
                    ProcessDefinitionPermissions.READ_HISTORY);
            add(merged, group, Resources.DECISION_DEFINITION, all, Permissions.READ);
            add(merged, group, Resources.DECISION_REQUIREMENTS_DEFINITION, all, Permissions.READ);
            add(merged, group, Resources.DEPLOYMENT, all, Permissions.READ);
        }
        for (String group : COCKPIT) {
            add(merged, group, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
            add(merged, group, Resources.PROCESS_INSTANCE, all, ProcessInstancePermissions.READ);
            add(
                    merged,
                    group,
                    Resources.PROCESS_DEFINITION,
                    all,
                    ProcessDefinitionPermissions.READ_INSTANCE,
                    ProcessDefinitionPermissions.READ_TASK);
            add(merged, group, Resources.TASK, all, TaskPermissions.READ);
            add(merged, group, Resources.DECISION_DEFINITION, all, Permissions.READ_HISTORY);
        }
        // agents take and answer the external tasks of the runbooks that deploy through them; AgentRestGuard lets
        // them reach only the external-task routes, for agent topics, answering only their own variables
        add(
                merged,
                Groups.AGENTS,
                Resources.PROCESS_DEFINITION,
                "expiry-incident",
                ProcessDefinitionPermissions.READ_INSTANCE,
                ProcessDefinitionPermissions.UPDATE_INSTANCE);
        // a failed runbook step (a Camunda incident) is retried by an operator; a retry changes no variable
        add(merged, Groups.OPERATORS, Resources.PROCESS_DEFINITION, all, ProcessDefinitionPermissions.RETRY_JOB);
        return List.copyOf(merged.values());
    }

    private static void add(
            Map<String, Grant> merged, String group, Resource resource, String resourceId, Permission... permissions) {
        String key = group + "|" + resource.resourceType() + "|" + resourceId;
        Grant existing = merged.get(key);
        Set<Permission> all = new LinkedHashSet<>(existing == null ? Set.of() : existing.permissions());
        all.addAll(List.of(permissions));
        merged.put(key, new Grant(group, resource, resourceId, all));
    }

    /** Makes the engine's authorizations match: the listed grants exactly, nothing admin-only elsewhere. */
    static void apply(AuthorizationService authorizations) {
        for (Resources resource : Resources.values()) {
            set(authorizations, Groups.ADMIN, resource, Authorization.ANY, List.of(Permissions.ALL));
        }
        List<String> managed = new ArrayList<>(Groups.CERTLOOP);
        managed.add(Groups.ALERT_SENDERS);
        List<Authorization> earlier = new ArrayList<>(authorizations
                .createAuthorizationQuery()
                .groupIdIn(managed.toArray(String[]::new))
                .list());
        // assignees' own task authorizations from before TASK_WORK
        authorizations.createAuthorizationQuery().resourceType(Resources.TASK).list().stream()
                .filter(a -> a.getUserId() != null)
                .forEach(earlier::add);
        for (Authorization existing : earlier) {
            if (existing.getAuthorizationType() == AUTH_TYPE_GRANT && withoutAdminOnly(existing)) {
                authorizations.saveAuthorization(existing);
            }
        }
        for (Grant grant : grants()) {
            set(authorizations, grant.group(), grant.resource(), grant.resourceId(), grant.permissions());
        }
    }

    private static boolean withoutAdminOnly(Authorization authorization) {
        Resource resource = resourceOf(authorization.getResourceType());
        List<Permission> adminOnly = resource == null ? List.of() : ADMIN_ONLY.getOrDefault(resource, List.of());
        boolean changed = false;
        if (resource == Resources.TASK
                && authorization.isPermissionGranted(TaskPermissions.UPDATE)
                && !authorization.isEveryPermissionGranted()) {
            // a candidate's task authorization from before TASK_WORK: keep the work, drop the update
            authorization.addPermission(TaskPermissions.TASK_WORK);
            changed = true;
        }
        if (authorization.isEveryPermissionGranted() && !adminOnly.isEmpty()) {
            authorization.setPermissions(new Permission[] {Permissions.READ});
            changed = true;
        }
        for (Permission permission : adminOnly) {
            if (authorization.isPermissionGranted(permission)) {
                authorization.removePermission(permission);
                changed = true;
            }
        }
        return changed;
    }

    private static Resource resourceOf(int type) {
        for (Resources resource : Resources.values()) {
            if (resource.resourceType() == type) {
                return resource;
            }
        }
        return null;
    }

    private static void set(
            AuthorizationService authorizations,
            String group,
            Resource resource,
            String resourceId,
            Collection<Permission> permissions) {
        Authorization existing = authorizations
                .createAuthorizationQuery()
                .groupIdIn(group)
                .resourceType(resource)
                .resourceId(resourceId)
                .singleResult();
        Authorization authorization =
                existing != null ? existing : authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
        authorization.setGroupId(group);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        authorization.setPermissions(permissions.toArray(Permission[]::new));
        authorizations.saveAuthorization(authorization);
    }
}
