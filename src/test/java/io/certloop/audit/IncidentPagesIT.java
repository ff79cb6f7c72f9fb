package io.certloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.certloop.support.ApiClient;
import io.certloop.support.HeadlessChromium;
import io.certloop.support.PostgresIntegrationTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incident pages in a real browser (headless Chromium over the DevTools protocol): an auditor opens an
 * incident's page, logs in on the form it is sent to, and reads the story as a person sees it: the incident, the
 * open task with its Tasklist link, the Cockpit link, the evidence downloads; after a commander's decision the
 * timeline in order with who did what. An alert text holding a script is shown as text and never runs.
 */
class IncidentPagesIT extends PostgresIntegrationTest {

    private static final String XSS = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";

    private ApiClient operator;
    private ApiClient commander;

    @BeforeEach
    void users() {
        admin.ensureUser("pages-auditor", "pages-auditor-pw", "auditors");
        admin.ensureUser("pages-operator", "pages-operator-pw", "operators");
        admin.ensureUser("pages-commander", "pages-commander-pw", "incident-commanders");
        admin.ensureUser("pages-nobody", "pages-nobody-pw");
        operator = admin.withUser("pages-operator", "pages-operator-pw");
        commander = admin.withUser("pages-commander", "pages-commander-pw");
    }

    @Test
    void aPersonFollowsAnIncidentOnItsPageInABrowser() throws Exception {
        assertThat(HeadlessChromium.installed())
                .as("Chromium drives this test: bin/install-peers chromium")
                .isTrue();
        String endpoint = ReviewedIncidents.endpoint(admin, "pages");
        String id = ReviewedIncidents.open(operator, endpoint, XSS + " users report errors");
        JsonNode task = ReviewedIncidents.reviewTask(commander, id);
        String processInstanceId = task.path("processInstanceId").asText();
        String base = "http://127.0.0.1:" + port;

        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.navigate(base + "/incidents/" + id);
            browser.awaitLoaded("/incidents/login");
            browser.evaluate("document.getElementById('username').value = 'pages-auditor';"
                    + "document.getElementById('password').value = 'pages-auditor-pw';"
                    + "document.getElementById('login').click(); true");
            browser.awaitLoaded("/incidents/" + id);

            JsonNode page = read(browser);
            assertThat(page.path("h1").asText()).contains(id, "expiry", endpoint);
            assertThat(page.path("user").asText()).contains("pages-auditor");
            assertThat(page.path("text").asText())
                    .as("the alert text is shown as text")
                    .contains(XSS + " users report errors");
            assertThat(page.path("scripts").asInt())
                    .as("no script element made it into the page")
                    .isZero();
            assertThat(page.path("images").asInt()).isZero();
            assertThat(page.path("pwned").asText())
                    .as("the alert's script never ran")
                    .isEqualTo("undefined");
            assertThat(page.path("cockpit").asText())
                    .isEqualTo(base + "/camunda/app/cockpit/default/#/process-instance/" + processInstanceId);
            assertThat(page.path("tasks")).hasSize(1);
            assertThat(page.path("tasks").get(0).path("text").asText())
                    .contains("Review: not a certificate incident", "unclaimed");
            assertThat(page.path("tasks").get(0).path("href").asText())
                    .isEqualTo(base + "/camunda/app/tasklist/default/#/?task="
                            + task.path("id").asText());
            assertThat(page.path("evidenceJson").asText()).isEqualTo(base + "/incidents/" + id + "/evidence.json");
            assertThat(page.path("evidenceHtml").asText()).isEqualTo(base + "/incidents/" + id + "/evidence.html");

            ReviewedIncidents.completeReview(commander, admin, id, task, "load balancer was down");

            browser.navigate(base + "/incidents/" + id);
            browser.awaitLoaded("/incidents/" + id);
            page = read(browser);
            JsonNode recorded = admin.get("/api/incidents/" + id).json().path("timeline");
            List<String> expected = new ArrayList<>();
            recorded.forEach(e -> expected.add(
                    e.path("type").asText() + " by " + e.path("actor").asText()));
            List<String> shown = new ArrayList<>();
            page.path("story")
                    .forEach(e -> shown.add(
                            e.path("type").asText() + " by " + e.path("actor").asText()));
            assertThat(shown)
                    .as("the timeline as the page shows it, in order, with who")
                    .isEqualTo(expected)
                    .startsWith("opened by pages-operator")
                    .contains("process-attached by certloop", "task-completed by pages-commander")
                    .anyMatch(entry -> entry.startsWith("closed by "));
            JsonNode decision = null;
            for (JsonNode entry : page.path("story")) {
                if (entry.path("type").asText().equals("task-completed")) {
                    decision = entry;
                }
            }
            assertThat(decision.path("text").asText())
                    .contains("pages-commander", "Review: not a certificate incident", "service-down-other-cause");
            assertThat(page.path("story").get(0).path("text").asText())
                    .contains("opened the incident", XSS + " users report errors");
            assertThat(page.path("tasks")).isEmpty();
            assertThat(page.path("verified").asText()).contains("verifies");

            browser.navigate(base + "/incidents");
            browser.awaitLoaded("/incidents");
            JsonNode list = browser.evaluateJson(
                    "[...document.querySelectorAll('#recent-incidents a')]" + ".map(a => a.textContent)");
            assertThat(list.toString()).contains(id);

            browser.navigate(base + "/incidents/" + id + "/evidence.html");
            browser.awaitLoaded("/incidents/" + id + "/evidence.html");
            assertThat(browser.evaluate("document.querySelector('h1').innerText")
                            .asText())
                    .isEqualTo("Incident evidence " + id);
            assertThat(browser.evaluate("document.body.innerText").asText())
                    .contains("pages-commander", "load balancer was down");

            // one session with the webapps: the page's login is the webapps' login
            browser.navigate(base + "/camunda/api/admin/auth/user/default");
            browser.awaitLoaded("/camunda/api/admin/auth/user/default");
            assertThat(browser.evaluate("document.body.innerText").asText()).contains("\"userId\":\"pages-auditor\"");
        }

        assertThat(session("pages-operator", "pages-operator-pw", "/incidents/" + id))
                .as("an operator reads the page")
                .isEqualTo(200);
        assertThat(session("pages-operator", "pages-operator-pw", "/incidents/" + id + "/evidence.json"))
                .as("but not the evidence")
                .isEqualTo(403);
        assertThat(session("pages-nobody", "pages-nobody-pw", "/incidents")).isEqualTo(403);
        assertThat(session("pages-auditor", "wrong", "/incidents")).isEqualTo(401);
        HttpResponse<String> anonymous = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/incidents/" + id))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow())
                .isEqualTo("/incidents/login?next=%2Fincidents%2F" + id);
    }

    /** What a person sees on an incident page, read from the browser's DOM. */
    private static JsonNode read(HeadlessChromium browser) throws Exception {
        return browser.evaluateJson("{"
                + "h1: document.querySelector('h1').innerText,"
                + "user: (document.getElementById('user') || {}).innerText,"
                + "text: document.body.innerText,"
                + "scripts: document.querySelectorAll('script').length,"
                + "images: document.querySelectorAll('img').length,"
                + "pwned: String(window.pwned),"
                + "cockpit: (document.getElementById('cockpit') || {}).href,"
                + "tasks: [...document.querySelectorAll('a.task')].map(a => ({text: a.parentElement.innerText, href: a.href})),"
                + "evidenceJson: (document.getElementById('evidence-json') || {}).href,"
                + "evidenceHtml: (document.getElementById('evidence-html') || {}).href,"
                + "verified: document.querySelector('#timeline').previousElementSibling.innerText,"
                + "story: [...document.querySelectorAll('#timeline li.entry')].map(li => ({type: li.dataset.type,"
                + " actor: li.querySelector('.actor').innerText, text: li.innerText}))"
                + "}");
    }

    /** Logs in on the page's form with a plain HTTP client and answers the status of {@code path}. */
    private int session(String user, String password, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(URI.create(base + "/incidents/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "username=" + user + "&password=" + password + "&next=/incidents"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 303) {
            return login.statusCode();
        }
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
