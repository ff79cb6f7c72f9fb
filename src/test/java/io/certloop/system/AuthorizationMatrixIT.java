package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.support.ApiClient;
import io.certloop.support.PostgresIntegrationTest;
import io.certloop.support.WebappClient;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix of docs/security.md, walked cell by cell over HTTP: one user per group (plus a user in
 * no group and no user at all) against every route of /api, /actuator, /pki, the webapps and the engine API with
 * every engine resource. An allowed cell must get past authorization (the answer is the route's own: 200, 204, or
 * 400/404 for the deliberately invalid or unknown input most write cells send, so nothing is written); a refused
 * cell must be refused (401 without credentials, 403, or for engine queries an answer without the resource).
 * Every cell is checked and all mismatches are reported together.
 */
class AuthorizationMatrixIT extends PostgresIntegrationTest {

    /** The identities of the matrix; ADMIN last in every row, so refusals are tried before the admin acts. */
    enum Who {
        OPERATOR("operators"),
        APPROVER("approvers"),
        COMMANDER("incident-commanders"),
        PKI_BOARD("pki-board"),
        AUDITOR("auditors"),
        ALERT_SENDER("alert-senders"),
        NOBODY(null),
        ANONYMOUS(null),
        ADMIN("camunda-admin");

        final String group;

        Who(String group) {
            this.group = group;
        }

        String user() {
            return "matrix-" + name().toLowerCase().replace('_', '-');
        }

        String password() {
            return user() + "-pw";
        }
    }

    static final Set<Who> PEOPLE =
            EnumSet.of(Who.OPERATOR, Who.APPROVER, Who.COMMANDER, Who.PKI_BOARD, Who.AUDITOR, Who.ADMIN);
    static final Set<Who> COCKPIT = EnumSet.of(Who.OPERATOR, Who.COMMANDER, Who.PKI_BOARD, Who.AUDITOR, Who.ADMIN);
    static final Set<Who> OPERATORS = EnumSet.of(Who.OPERATOR, Who.ADMIN);
    static final Set<Who> ADMIN_ONLY = EnumSet.of(Who.ADMIN);
    static final Set<Who> AUDITORS = EnumSet.of(Who.AUDITOR, Who.ADMIN);
    static final Set<Who> EVIDENCE = EnumSet.of(Who.AUDITOR, Who.PKI_BOARD, Who.ADMIN);
    static final Set<Who> EVERYONE = EnumSet.allOf(Who.class);

    /** What the engine fixture provides to paths and bodies. */
    record Fixture(String instance, String task, String disposable, String self) {}

    /** One row: a route or engine operation, who may, and how an allowed answer looks. */
    record Cell(
            String name,
            String method,
            Function<Fixture, String> path,
            Function<Fixture, Object> body,
            Set<Who> allowed,
            BiPredicate<ApiClient.Response, Fixture> passes,
            BiPredicate<ApiClient.Response, Fixture> refused) {}

    private final List<Cell> cells = new ArrayList<>();

    @Test
    void everyCellOfTheMatrixHolds() {
        for (Who who : Who.values()) {
            if (who.group != null || who == Who.NOBODY) {
                admin.ensureUser(
                        who.user(), who.password(), who.group == null ? new String[0] : new String[] {who.group});
            }
        }
        String instance = startTriage("matrix-main-" + System.nanoTime());
        String task = admin.get("/engine-rest/task?processInstanceId=" + instance)
                .json()
                .get(0)
                .path("id")
                .asText();
        String disposable = startTriage("matrix-disposable-" + System.nanoTime());

        api();
        actuatorAndPki();
        engine();

        List<String> wrong = new ArrayList<>();
        for (Cell cell : cells) {
            for (Who who : Who.values()) {
                Fixture fixture = new Fixture(instance, task, disposable, who.user());
                ApiClient.Response response = call(who, cell, fixture);
                boolean allowed = cell.allowed().contains(who);
                boolean holds = allowed ? cell.passes().test(response, fixture) : refused(who, cell, response, fixture);
                if (!holds) {
                    wrong.add(cell.name() + " as " + who + ": expected " + (allowed ? "allowed" : "refused") + ", got "
                            + response.status() + " " + abbreviate(response.body()));
                }
                if (cell.name().startsWith("claim") && response.status() == 204) {
                    // unclaiming is assigning (TASK_ASSIGN): an administrator releases the task for the next cell
                    assertThat(admin.post("/engine-rest/task/" + task + "/unclaim", Map.of())
                                    .status())
                            .isEqualTo(204);
                }
            }
        }
        wrong.addAll(webapps());
        assertThat(wrong)
                .as("cells of the authorization matrix that do not hold")
                .isEmpty();
    }

    private void api() {
        String none = "matrix-none";
        read("GET /api/inventory/endpoints", "/api/inventory/endpoints", 200);
        read("GET /api/inventory/endpoints/{ref}", "/api/inventory/endpoints/" + none, 404);
        write("POST /api/inventory/endpoints", "POST", "/api/inventory/endpoints", Map.of(), OPERATORS, 400);
        write(
                "PUT /api/inventory/endpoints/{ref}",
                "PUT",
                "/api/inventory/endpoints/" + none,
                Map.of(),
                OPERATORS,
                400,
                404);
        write(
                "DELETE /api/inventory/endpoints/{ref}",
                "DELETE",
                "/api/inventory/endpoints/" + none,
                null,
                OPERATORS,
                404);
        write("POST /api/inventory/import", "YAML", "/api/inventory/import", "endpoints: 5", OPERATORS, 400);
        write("POST /api/probes", "POST", "/api/probes", Map.of(), PEOPLE, 400);
        write(
                "POST /api/inventory/endpoints/{ref}/probe",
                "POST",
                "/api/inventory/endpoints/" + none + "/probe",
                Map.of(),
                OPERATORS,
                404);
        read("GET /api/inventory/endpoints/{ref}/probes", "/api/inventory/endpoints/" + none + "/probes", 404);
        read(
                "GET /api/inventory/endpoints/{ref}/renewal-window",
                "/api/inventory/endpoints/" + none + "/renewal-window",
                404);
        write(
                "POST /api/inventory/endpoints/{ref}/replace",
                "POST",
                "/api/inventory/endpoints/" + none + "/replace",
                Map.of(),
                OPERATORS,
                404);
        write(
                "POST /api/alerts/alertmanager",
                "POST",
                "/api/alerts/alertmanager",
                "{\"alerts\": 5}",
                EnumSet.of(Who.OPERATOR, Who.ALERT_SENDER, Who.ADMIN),
                400);
        read("GET /api/incidents", "/api/incidents", 200);
        read("GET /api/incidents/{id}", "/api/incidents/INC-1999-000000", 404);
        write("POST /api/incidents", "POST", "/api/incidents", Map.of(), OPERATORS, 400);
        read("GET /api/notifications", "/api/notifications", 200);
        read("GET /api/agents", "/api/agents", 200);
        // the audit API: auditors (and administrators); evidence also for the PKI board
        write("GET /api/audit/verify", "GET", "/api/audit/verify", null, AUDITORS, 200);
        write("GET /api/audit/incidents", "GET", "/api/audit/incidents", null, AUDITORS, 400);
        write(
                "GET /api/incidents/{id}/evidence",
                "GET",
                "/api/incidents/INC-1999-000000/evidence",
                null,
                EVIDENCE,
                404);
        write(
                "GET /api/incidents/{id}/evidence.html",
                "GET",
                "/api/incidents/INC-1999-000000/evidence.html",
                null,
                EVIDENCE,
                404);
        EnumSet<Who> rotators = EnumSet.of(Who.OPERATOR, Who.COMMANDER, Who.ADMIN);
        write("POST /api/rotations", "POST", "/api/rotations", Map.of(), rotators, 400);
        read("GET /api/rotations", "/api/rotations", 200);
        read("GET /api/rotations/{id}", "/api/rotations/ROT-1999-000000", 404);
        write(
                "POST /api/rotations/{id}/pause",
                "POST",
                "/api/rotations/ROT-1999-000000/pause",
                Map.of(),
                rotators,
                404);
        write(
                "POST /api/rotations/{id}/resume",
                "POST",
                "/api/rotations/ROT-1999-000000/resume",
                Map.of(),
                rotators,
                404);
    }

    private void actuatorAndPki() {
        write("GET /actuator/health", "GET", "/actuator/health", null, EVERYONE, 200);
        read("GET /actuator/prometheus", "/actuator/prometheus", 200);
        write("GET /pki/ca.crt", "GET", "/pki/ca.crt", null, EVERYONE, 200);
        write("GET /pki/crl", "GET", "/pki/crl", null, EVERYONE, 200);
    }

    private void engine() {
        // definitions, deployments, decisions: every person reads them
        engineList("process definitions", f -> "/engine-rest/process-definition?key=expiry-incident", PEOPLE, null);
        engineList("deployments", f -> "/engine-rest/deployment", PEOPLE, null);
        engineList("decision definitions", f -> "/engine-rest/decision-definition?key=incident-severity", PEOPLE, null);
        engineList(
                "history of process instances",
                f -> "/engine-rest/history/process-instance?processInstanceId=" + f.instance(),
                PEOPLE,
                null);
        // process instances and their tasks: the Cockpit groups read them (operators also as candidates)
        engineList(
                "process instances",
                f -> "/engine-rest/process-instance?processInstanceIds=" + f.instance(),
                COCKPIT,
                f -> f.instance());
        engineList("tasks", f -> "/engine-rest/task?processInstanceId=" + f.instance(), COCKPIT, null);
        engine(
                "read process instance variables",
                "GET",
                f -> "/engine-rest/process-instance/" + f.instance() + "/variables",
                null,
                COCKPIT,
                200);
        // working a task: its candidates (operators for the triage task) claim and complete, with its form's fields
        engine(
                "claim a task",
                "POST",
                f -> "/engine-rest/task/" + f.task() + "/claim",
                f -> Map.of("userId", f.self()),
                OPERATORS,
                204);
        engine(
                "complete a task with a variable its form does not declare",
                "POST",
                f -> "/engine-rest/task/" + f.task() + "/complete",
                f -> Map.of("variables", Map.of("matrixProbe", Map.of("value", 1))),
                OPERATORS,
                400);
        engine(
                "submit a task form with a variable it does not declare",
                "POST",
                f -> "/engine-rest/task/" + f.task() + "/submit-form",
                f -> Map.of("variables", Map.of("matrixProbe", Map.of("value", 1))),
                OPERATORS,
                400);
        // everything else changes what a gate could read or where the token is: administrators only
        engine(
                "set a task variable",
                "PUT",
                f -> "/engine-rest/task/" + f.task() + "/variables/matrixProbe",
                f -> Map.of("value", 1, "type", "Integer"),
                ADMIN_ONLY,
                204);
        engine(
                "update a task",
                "PUT",
                f -> "/engine-rest/task/" + f.task(),
                f -> Map.of("name", "Triage the unknown target", "priority", 50),
                ADMIN_ONLY,
                204);
        engine(
                "set a process variable",
                "PUT",
                f -> "/engine-rest/process-instance/" + f.instance() + "/variables/matrixProbe",
                f -> Map.of("value", 1, "type", "Integer"),
                ADMIN_ONLY,
                204);
        engine(
                "delete a process variable",
                "DELETE",
                f -> "/engine-rest/process-instance/" + f.instance() + "/variables/matrixProbe",
                null,
                ADMIN_ONLY,
                204);
        engine(
                "suspend or activate a process instance",
                "PUT",
                f -> "/engine-rest/process-instance/" + f.instance() + "/suspended",
                f -> Map.of("suspended", false),
                ADMIN_ONLY,
                204);
        engine(
                "modify a process instance",
                "POST",
                f -> "/engine-rest/process-instance/" + f.instance() + "/modification",
                f -> Map.of(
                        "skipCustomListeners",
                        true,
                        "instructions",
                        List.of(Map.of("type", "startBeforeActivity", "activityId", "triageTarget"))),
                ADMIN_ONLY,
                204);
        engine(
                "start a process instance",
                "POST",
                f -> "/engine-rest/process-definition/key/triage-unknown-target/start",
                f -> Map.of(
                        "businessKey", "TRIAGE-matrix-started-" + System.nanoTime(), "variables", triageVariables()),
                ADMIN_ONLY,
                200);
        engine(
                "evaluate a decision",
                "POST",
                f -> "/engine-rest/decision-definition/key/incident-severity/evaluate",
                f -> Map.of(
                        "variables",
                        Map.of(
                                "category",
                                Map.of("value", "expiry"),
                                "subcategory",
                                Map.of("value", "expiring"),
                                "tier",
                                Map.of("value", 2, "type", "Integer"),
                                "environment",
                                Map.of("value", "production"))),
                ADMIN_ONLY,
                200);
        cells.add(new Cell(
                "deploy",
                "DEPLOY",
                f -> "/engine-rest/deployment/create",
                null,
                ADMIN_ONLY,
                (r, f) -> r.status() == 200,
                (r, f) -> r.status() == 403));
        engine(
                "assign a task to someone",
                "POST",
                f -> "/engine-rest/task/" + f.task() + "/assignee",
                f -> java.util.Collections.singletonMap("userId", null),
                ADMIN_ONLY,
                204);
        engine(
                "delete a process instance",
                "DELETE",
                f -> "/engine-rest/process-instance/" + f.disposable(),
                null,
                ADMIN_ONLY,
                204);
        // identity and authorizations
        engine(
                "create a user",
                "POST",
                f -> "/engine-rest/user/create",
                f -> Map.of(
                        "profile",
                        Map.of(
                                "id",
                                "matrix-created-" + System.nanoTime(),
                                "firstName",
                                "M",
                                "lastName",
                                "C",
                                "email",
                                "m@example.test"),
                        "credentials",
                        Map.of("password", "matrix-created-pw")),
                ADMIN_ONLY,
                204);
        cells.add(new Cell(
                "join camunda-admin",
                "PUT",
                f -> "/engine-rest/group/camunda-admin/members/" + f.self(),
                f -> Map.of(),
                ADMIN_ONLY,
                (r, f) -> r.status() != 401 && r.status() != 403,
                (r, f) -> r.status() == 403));
        engine(
                "create an authorization",
                "POST",
                f -> "/engine-rest/authorization/create",
                f -> Map.of(
                        "type",
                        1,
                        "permissions",
                        List.of("ACCESS"),
                        "userId",
                        f.self(),
                        "resourceType",
                        0,
                        "resourceId",
                        "matrix"),
                ADMIN_ONLY,
                200);
    }

    /** The webapps: logging in to each app, and what a session of a person outside CertLoop's groups reaches. */
    private List<String> webapps() {
        List<String> wrong = new ArrayList<>();
        Map<String, Set<Who>> apps = new LinkedHashMap<>();
        apps.put("tasklist", PEOPLE);
        apps.put("cockpit", COCKPIT);
        apps.put("admin", ADMIN_ONLY);
        apps.put("welcome", PEOPLE);
        for (Map.Entry<String, Set<Who>> app : apps.entrySet()) {
            for (Who who : Who.values()) {
                if (who == Who.ANONYMOUS) {
                    continue;
                }
                WebappClient browser = new WebappClient(port);
                int status = browser.login(app.getKey(), who.user(), who.password());
                boolean allowed = app.getValue().contains(who);
                boolean holds = allowed ? status == 200 : status == 401 || status == 403;
                if (holds && allowed) {
                    ApiClient.Response definitions =
                            browser.get("/camunda/api/engine/engine/default/process-definition/count");
                    holds = definitions.status() == 200;
                }
                if (!holds) {
                    wrong.add("login to " + app.getKey() + " as " + who + ": expected "
                            + (allowed ? "allowed" : "refused") + ", got " + status);
                }
            }
        }
        // CertLoop's pages: the same login (the form of /incidents/login); 303 to it without one
        Map<String, Set<Who>> pages = new LinkedHashMap<>();
        pages.put("/incidents", PEOPLE);
        pages.put("/incidents/INC-1999-000000", PEOPLE);
        pages.put("/incidents/INC-1999-000000/evidence.json", EVIDENCE);
        pages.put("/incidents/INC-1999-000000/evidence.html", EVIDENCE);
        for (Map.Entry<String, Set<Who>> page : pages.entrySet()) {
            for (Who who : Who.values()) {
                int status = pageStatus(who, page.getKey());
                boolean allowed = page.getValue().contains(who);
                boolean holds =
                        allowed ? status == 200 || status == 404 : who == Who.ANONYMOUS ? status == 303 : status == 403;
                if (!holds) {
                    wrong.add("page " + page.getKey() + " as " + who + ": expected " + (allowed ? "allowed" : "refused")
                            + ", got " + status);
                }
            }
        }
        return wrong;
    }

    /** Logs in on the pages' form (unless anonymous) and answers the status of {@code path}, redirects not followed. */
    private int pageStatus(Who who, String path) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .cookieHandler(new java.net.CookieManager())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build();
        String base = "http://127.0.0.1:" + port;
        try {
            if (who != Who.ANONYMOUS) {
                int login = http.send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/incidents/login"))
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=" + who.user()
                                                + "&password=" + who.password() + "&next=/incidents"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (login != 303) {
                    return login;
                }
            }
            return http.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read(String name, String path, int status) {
        write(name, "GET", path, null, PEOPLE, status);
    }

    private void write(String name, String method, String path, Object body, Set<Who> allowed, int... statuses) {
        cells.add(new Cell(
                name,
                method,
                f -> path,
                f -> body,
                allowed,
                (r, f) -> anyOf(r.status(), statuses),
                (r, f) -> r.status() == 403));
    }

    /** Refused: 403, or 404 when the caller may not even see the task or instance it names. */
    private void engine(
            String name,
            String method,
            Function<Fixture, String> path,
            Function<Fixture, Object> body,
            Set<Who> allowed,
            int status) {
        cells.add(new Cell(
                name,
                method,
                path,
                body == null ? f -> null : body,
                allowed,
                (r, f) -> r.status() == status,
                (r, f) -> r.status() == 403 || r.status() == 404));
    }

    /** A query: allowed sees a non-empty list (containing {@code id} when given); refused sees none of it. */
    private void engineList(
            String name, Function<Fixture, String> path, Set<Who> allowed, Function<Fixture, String> id) {
        cells.add(new Cell(
                "query " + name,
                "GET",
                path,
                f -> null,
                allowed,
                (r, f) -> r.status() == 200
                        && r.json().isArray()
                        && !r.json().isEmpty()
                        && (id == null || r.body().contains(id.apply(f))),
                (r, f) -> r.status() == 403
                        || (r.status() == 200 && r.json().isArray() && r.json().isEmpty())));
    }

    private boolean refused(Who who, Cell cell, ApiClient.Response response, Fixture fixture) {
        if (who == Who.ANONYMOUS) {
            return response.status() == 401;
        }
        return cell.refused().test(response, fixture);
    }

    private ApiClient.Response call(Who who, Cell cell, Fixture fixture) {
        ApiClient client = asUser(who);
        String path = cell.path().apply(fixture);
        Object body = cell.body() == null ? null : cell.body().apply(fixture);
        return switch (cell.method()) {
            case "GET" -> client.get(path);
            case "DELETE" -> client.delete(path);
            case "PUT" -> client.put(path, body);
            case "YAML" -> client.post(path, "application/yaml", (String) body);
            case "DEPLOY" ->
                client.postFile(
                        path,
                        Map.of("deployment-name", "matrix-" + who, "enable-duplicate-filtering", "true"),
                        "matrix.bpmn",
                        MATRIX_BPMN);
            default ->
                body instanceof String text ? client.post(path, "application/json", text) : client.post(path, body);
        };
    }

    private ApiClient asUser(Who who) {
        return who == Who.ANONYMOUS ? anonymous : ApiClient.as(port, who.user(), who.password());
    }

    private String startTriage(String target) {
        ApiClient.Response started = admin.post(
                "/engine-rest/process-definition/key/triage-unknown-target/start",
                Map.of("businessKey", "TRIAGE-" + target, "variables", triageVariables()));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        return started.json().path("id").asText();
    }

    private static Map<String, Object> triageVariables() {
        return Map.of(
                "target",
                Map.of("value", "matrix.example.test:443"),
                "alertname",
                Map.of("value", "Matrix"),
                "alertSummary",
                Map.of("value", "authorization matrix"));
    }

    private static boolean anyOf(int status, int... statuses) {
        for (int candidate : statuses) {
            if (candidate == status) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }

    private static final String MATRIX_BPMN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                targetNamespace="http://certloop.io/matrix">
              <process id="matrix-probe" isExecutable="true" camunda:historyTimeToLive="1">
                <startEvent id="start"/>
              </process>
            </definitions>
            """;
}
