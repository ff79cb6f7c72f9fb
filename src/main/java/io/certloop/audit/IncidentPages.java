package io.certloop.audit;

import static io.certloop.audit.EvidencePage.esc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.certloop.incident.Incident;
import io.certloop.incident.IncidentService;
import io.certloop.incident.TimelineEntry;
import io.certloop.system.security.Caller;
import io.certloop.system.security.Groups;
import io.certloop.system.security.WebLogin;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The incident pages people read: {@code /incidents} (open and recent incidents) and {@code /incidents/{id}} (one
 * incident's timeline as a story, links into Cockpit and Tasklist, the evidence downloads). Server-rendered HTML
 * with inline CSS: no script, no external asset, every value escaped, and a Content-Security-Policy that would
 * refuse a script anyway. The login is the webapps' ({@link WebLogin}): a person logged in to Cockpit or Tasklist
 * reads these pages as is, anyone else gets the login form. People only (CertLoop's groups); the evidence
 * downloads for auditors, the PKI board and administrators, as over the API.
 */
@Controller
class IncidentPages {

    private static final Pattern NEXT = Pattern.compile("/incidents(/[A-Za-z0-9-]+)?");
    private static final int OPEN_LIMIT = 500;
    private static final int RECENT_LIMIT = 50;
    private static final String CSP =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String STYLE = """
            body{font-family:sans-serif;font-size:14px;margin:1.5em auto;max-width:70em;color:#111;padding:0 1em}
            h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #999;margin-top:1.5em}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;
            vertical-align:top}th{background:#f3f3f3}.meta th{width:12em}ol.story{padding-left:1.5em}
            ol.story li{margin:.6em 0}.actor{font-weight:bold}time{color:#555;font-size:12px;margin-right:.5em}
            .detail{color:#333;font-size:13px;margin:.2em 0 0 0}.detail dt{display:inline;font-style:italic}
            .detail dd{display:inline;margin:0 1em 0 .3em}.ok{color:#262}.bad{color:#a22}nav a{margin-right:1em}
            form.login{max-width:22em}form.login label{display:block;margin-top:.6em}form.login input{width:100%}
            .error{background:#f9d6d6;padding:.4em;border:1px solid #c33}""";

    private final IncidentService incidents;
    private final ChainVerifier verifier;
    private final ProcessHistory history;
    private final EvidenceService evidence;
    private final WebLogin login;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    IncidentPages(
            IncidentService incidents,
            ChainVerifier verifier,
            ProcessHistory history,
            EvidenceService evidence,
            WebLogin login,
            JdbcTemplate jdbc,
            ObjectMapper json) {
        this.incidents = incidents;
        this.verifier = verifier;
        this.history = history;
        this.evidence = evidence;
        this.login = login;
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/incidents")
    ResponseEntity<String> list(HttpServletRequest request) {
        Optional<Caller> caller = login.current(request);
        if (caller.isEmpty()) {
            return toLogin("/incidents");
        }
        if (!caller.get().isStaff()) {
            return forbidden(caller.get());
        }
        StringBuilder html = head("Incidents", caller.get());
        html.append("<h1>Incidents</h1>");
        html.append("<h2 id=\"open\">Open</h2>");
        table(
                html,
                "open-incidents",
                jdbc.query(
                        "SELECT id, state, severity, category, subcategory, endpoint, opened_at, reason FROM incident "
                                + "WHERE state = 'open' ORDER BY opened_at DESC, id DESC FETCH FIRST " + OPEN_LIMIT
                                + " ROWS ONLY",
                        IncidentPages::row));
        html.append("<h2 id=\"recent\">Recently resolved and closed</h2>");
        table(
                html,
                "recent-incidents",
                jdbc.query(
                        "SELECT id, state, severity, category, subcategory, endpoint, opened_at, reason FROM incident "
                                + "WHERE state <> 'open' ORDER BY updated_at DESC, id DESC FETCH FIRST " + RECENT_LIMIT
                                + " ROWS ONLY",
                        IncidentPages::row));
        return page(HttpStatus.OK, html);
    }

    @GetMapping("/incidents/{id}")
    ResponseEntity<String> incident(@PathVariable String id, HttpServletRequest request) {
        Optional<Caller> caller = login.current(request);
        if (caller.isEmpty()) {
            return toLogin("/incidents/" + id);
        }
        if (!caller.get().isStaff()) {
            return forbidden(caller.get());
        }
        Optional<Incident> found = incidents.find(id);
        if (found.isEmpty()) {
            StringBuilder html = head("Not found", caller.get());
            html.append("<h1>No incident ").append(esc(id)).append("</h1>");
            return page(HttpStatus.NOT_FOUND, html);
        }
        Incident incident = found.get();
        List<TimelineEntry> timeline = incidents.timeline(id);
        StringBuilder html = head(incident.id(), caller.get());
        html.append("<h1 id=\"incident\">")
                .append(esc(incident.id()))
                .append(": ")
                .append(esc(incident.category()))
                .append(incident.subcategory() == null ? "" : " / " + esc(incident.subcategory()))
                .append(" on ")
                .append(esc(incident.endpoint()))
                .append("</h1>");
        html.append("<table class=\"meta\">");
        meta(html, "State", incident.state().value());
        meta(html, "Severity", incident.severity().level());
        meta(html, "Endpoint", incident.endpoint() + " (tier " + incident.tier() + ", " + incident.environment() + ")");
        meta(html, "Reason", incident.reason());
        meta(html, "Opened", text(incident.openedAt()));
        meta(html, "Resolved", text(incident.resolvedAt()));
        meta(html, "Closed", text(incident.closedAt()));
        meta(html, "Resolution", incident.resolution());
        html.append("</table>");

        html.append("<h2 id=\"links\">Runbook and evidence</h2><ul class=\"links\">");
        String processInstanceId = incident.processInstanceId();
        if (processInstanceId != null) {
            html.append("<li><a id=\"cockpit\" href=\"/camunda/app/cockpit/default/#/process-instance/")
                    .append(esc(urlPart(processInstanceId)))
                    .append("\">The runbook in Cockpit (process instance ")
                    .append(esc(processInstanceId))
                    .append(")</a>");
            if (!history.available(processInstanceId)) {
                html.append(" – the engine no longer holds its history (history cleanup); the story below is"
                        + " CertLoop's own record");
            }
            html.append("</li>");
            for (ProcessHistory.OpenTask task : history.openTasks(processInstanceId)) {
                html.append("<li><a class=\"task\" href=\"/camunda/app/tasklist/default/#/?task=")
                        .append(esc(urlPart(task.id())))
                        .append("\">Open task in Tasklist: ")
                        .append(esc(task.name()))
                        .append("</a>")
                        .append(task.assignee() == null ? " (unclaimed)" : " (claimed by " + esc(task.assignee()) + ")")
                        .append(", waiting since ")
                        .append(esc(text(task.created())))
                        .append("</li>");
            }
        } else {
            html.append("<li>No runbook is attached to this incident.</li>");
        }
        if (caller.get().isMemberOfAny(Groups.AUDITORS, Groups.PKI_BOARD)) {
            html.append("<li>Evidence: <a id=\"evidence-json\" href=\"/incidents/")
                    .append(esc(urlPart(id)))
                    .append("/evidence.json\">JSON</a> <a id=\"evidence-html\" href=\"/incidents/")
                    .append(esc(urlPart(id)))
                    .append("/evidence.html\">printable page</a></li>");
        } else {
            html.append("<li>Evidence downloads are for auditors and the PKI board.</li>");
        }
        html.append("</ul>");

        Verification verification = verifier.verify("incident", id);
        html.append("<h2 id=\"story\">What happened</h2><p class=\"")
                .append(verification.valid() ? "ok" : "bad")
                .append("\">")
                .append(
                        verification.valid()
                                ? "This timeline's hash chain verifies (" + verification.checked() + " entries)."
                                : "This timeline's hash chain DOES NOT VERIFY: an entry was changed or removed.")
                .append("</p><ol class=\"story\" id=\"timeline\">");
        for (TimelineEntry entry : timeline) {
            Story.Line line = Story.of(entry);
            html.append("<li class=\"entry\" data-type=\"")
                    .append(esc(entry.type()))
                    .append("\"><time>")
                    .append(esc(text(entry.at())))
                    .append("</time><span class=\"actor\">")
                    .append(esc(entry.actor()))
                    .append("</span> <span class=\"what\">")
                    .append(esc(line.sentence()))
                    .append("</span>");
            if (!line.details().isEmpty()) {
                html.append("<dl class=\"detail\">");
                line.details()
                        .forEach((key, value) -> html.append("<dt>")
                                .append(esc(key))
                                .append("</dt><dd>")
                                .append(esc(value))
                                .append("</dd>"));
                html.append("</dl>");
            }
            html.append("</li>");
        }
        html.append("</ol>");
        return page(HttpStatus.OK, html);
    }

    @GetMapping("/incidents/{id}/evidence.json")
    ResponseEntity<String> evidenceJson(@PathVariable String id, HttpServletRequest request) throws Exception {
        Optional<ResponseEntity<String>> refused = refuseEvidence(id, request);
        if (refused.isPresent()) {
            return refused.get();
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName(id) + "-evidence.json\"")
                .contentType(MediaType.APPLICATION_JSON)
                .body(json.writerWithDefaultPrettyPrinter().writeValueAsString(evidence.evidence(id)));
    }

    @GetMapping("/incidents/{id}/evidence.html")
    ResponseEntity<String> evidenceHtml(@PathVariable String id, HttpServletRequest request) {
        Optional<ResponseEntity<String>> refused = refuseEvidence(id, request);
        if (refused.isPresent()) {
            return refused.get();
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + fileName(id) + "-evidence.html\"")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(EvidencePage.render(id, json.valueToTree(evidence.evidence(id))));
    }

    private Optional<ResponseEntity<String>> refuseEvidence(String id, HttpServletRequest request) {
        Optional<Caller> caller = login.current(request);
        if (caller.isEmpty()) {
            return Optional.of(toLogin("/incidents/" + id));
        }
        if (!caller.get().isMemberOfAny(Groups.AUDITORS, Groups.PKI_BOARD)) {
            return Optional.of(forbidden(caller.get()));
        }
        if (incidents.find(id).isEmpty()) {
            StringBuilder html = head("Not found", caller.get());
            html.append("<h1>No incident ").append(esc(id)).append("</h1>");
            return Optional.of(page(HttpStatus.NOT_FOUND, html));
        }
        return Optional.empty();
    }

    @GetMapping("/incidents/login")
    ResponseEntity<String> loginForm(@RequestParam(required = false) String next) {
        return loginPage(HttpStatus.OK, safeNext(next), null);
    }

    /** The webapps' login for these pages; a wrong password answers 401 (counted by the login throttle). */
    @PostMapping("/incidents/login")
    ResponseEntity<String> login(
            @RequestParam(required = false) String username,
            @RequestParam(required = false) String password,
            @RequestParam(required = false) String next,
            HttpServletRequest request) {
        String target = safeNext(next);
        Optional<Caller> caller = login.login(request, username, password);
        if (caller.isEmpty()) {
            return loginPage(HttpStatus.UNAUTHORIZED, target, "Wrong user name or password.");
        }
        if (!caller.get().isStaff()) {
            request.getSession().invalidate();
            return loginPage(HttpStatus.FORBIDDEN, target, "These pages are for members of CertLoop's groups.");
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create(target))
                .build();
    }

    private ResponseEntity<String> loginPage(HttpStatus status, String next, String error) {
        StringBuilder html = head("Log in", null);
        html.append("<h1>Log in to CertLoop</h1>");
        html.append("<p>The same user and password as for Cockpit and Tasklist.</p>");
        if (error != null) {
            html.append("<p class=\"error\" id=\"login-error\">")
                    .append(esc(error))
                    .append("</p>");
        }
        html.append("<form class=\"login\" method=\"post\" action=\"/incidents/login\">")
                .append("<input type=\"hidden\" name=\"next\" value=\"")
                .append(esc(next))
                .append("\"><label for=\"username\">User</label>")
                .append("<input id=\"username\" name=\"username\" autocomplete=\"username\" required>")
                .append("<label for=\"password\">Password</label>")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"")
                .append(" required><p><button id=\"login\" type=\"submit\">Log in</button></p></form>");
        return page(status, html);
    }

    private static String safeNext(String next) {
        return next != null && NEXT.matcher(next).matches() ? next : "/incidents";
    }

    private static ResponseEntity<String> toLogin(String next) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create("/incidents/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)))
                .build();
    }

    private static ResponseEntity<String> forbidden(Caller caller) {
        StringBuilder html = head("Forbidden", caller);
        html.append("<h1>Forbidden</h1><p>These pages are for members of CertLoop's groups.</p>");
        return page(HttpStatus.FORBIDDEN, html);
    }

    private static StringBuilder head(String title, Caller caller) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(esc(title))
                .append(" – CertLoop</title><style>")
                .append(STYLE)
                .append("</style></head><body><nav><a href=\"/incidents\">Incidents</a>")
                .append("<a href=\"/camunda/app/tasklist/default/\">Tasklist</a>")
                .append("<a href=\"/camunda/app/cockpit/default/\">Cockpit</a>");
        if (caller != null) {
            html.append("<span id=\"user\">Logged in as ")
                    .append(esc(caller.userId()))
                    .append("</span>");
        }
        html.append("</nav>");
        return html;
    }

    private static ResponseEntity<String> page(HttpStatus status, StringBuilder html) {
        html.append("</body></html>");
        return ResponseEntity.status(status)
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(html.toString());
    }

    private record Row(
            String id,
            String state,
            String severity,
            String category,
            String subcategory,
            String endpoint,
            Instant openedAt,
            String reason) {}

    private static Row row(ResultSet rs, int n) throws SQLException {
        Timestamp opened = rs.getTimestamp("opened_at");
        return new Row(
                rs.getString("id"),
                rs.getString("state"),
                rs.getString("severity"),
                rs.getString("category"),
                rs.getString("subcategory"),
                rs.getString("endpoint"),
                opened == null ? null : opened.toInstant(),
                rs.getString("reason"));
    }

    private static void table(StringBuilder html, String id, List<Row> rows) {
        if (rows.isEmpty()) {
            html.append("<p id=\"").append(id).append("\">None.</p>");
            return;
        }
        html.append("<table id=\"")
                .append(id)
                .append("\"><thead><tr><th>Incident</th><th>State</th><th>Severity</th><th>Category</th>")
                .append("<th>Endpoint</th><th>Opened</th><th>Reason</th></tr></thead><tbody>");
        for (Row row : rows) {
            html.append("<tr><td><a href=\"/incidents/")
                    .append(esc(urlPart(row.id())))
                    .append("\">")
                    .append(esc(row.id()))
                    .append("</a></td><td>")
                    .append(esc(row.state()))
                    .append("</td><td>")
                    .append(esc(row.severity()))
                    .append("</td><td>")
                    .append(esc(row.category()))
                    .append(row.subcategory() == null ? "" : " / " + esc(row.subcategory()))
                    .append("</td><td>")
                    .append(esc(row.endpoint()))
                    .append("</td><td>")
                    .append(esc(text(row.openedAt())))
                    .append("</td><td>")
                    .append(esc(Story.abbreviate(row.reason())))
                    .append("</td></tr>");
        }
        html.append("</tbody></table>");
    }

    private static void meta(StringBuilder html, String name, String value) {
        html.append("<tr><th>")
                .append(esc(name))
                .append("</th><td>")
                .append(value == null || value.isEmpty() ? "–" : esc(value))
                .append("</td></tr>");
    }

    private static String text(Instant at) {
        return at == null
                ? null
                : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static String urlPart(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String fileName(String id) {
        return id.replaceAll("[^A-Za-z0-9-]", "");
    }
}
