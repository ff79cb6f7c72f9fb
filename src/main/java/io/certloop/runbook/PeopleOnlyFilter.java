package io.certloop.runbook;

import io.certloop.system.security.Groups;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The engine's REST API and the webapps are for people: a user in none of CertLoop's groups (a webhook identity
 * in {@code alert-senders}, a user in no group) gets 403 on {@code /engine-rest}, cannot log in to any webapp
 * (403 with the right password, 401 with a wrong one, as for anyone), and a webapp session of such a user
 * reaches nothing. A member of {@code agents} reaches the agent steps and nothing else ({@link AgentRestGuard}). The
 * engine's authorizations decide the rest.
 */
class PeopleOnlyFilter extends OncePerRequestFilter {

    private static final Pattern WEBAPP_LOGIN = Pattern.compile("/camunda/api/admin/auth/user/[^/]+/login/[^/]+");

    private final IdentityService identity;
    private final AgentRestGuard agents;

    PeopleOnlyFilter(IdentityService identity, AgentRestGuard agents) {
        this.identity = identity;
        this.agents = agents;
    }

    static boolean isPerson(Collection<String> groups) {
        return groups != null
                && (groups.contains(Groups.ADMIN) || Groups.CERTLOOP.stream().anyMatch(groups::contains));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/engine-rest/")) {
            // runs after Camunda's authentication filter, which set the caller
            Authentication caller = identity.getCurrentAuthentication();
            if (caller != null
                    && !isPerson(caller.getGroupIds())
                    && caller.getGroupIds() != null
                    && caller.getGroupIds().contains(Groups.AGENTS)) {
                AgentRestGuard.Decision decision = agents.check(request, path, caller.getUserId());
                if (decision.refusal() != null) {
                    refuse(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", decision.refusal());
                    return;
                }
                chain.doFilter(decision.request(), response);
                return;
            }
            if (caller != null && !isPerson(caller.getGroupIds())) {
                refuse(
                        response,
                        HttpServletResponse.SC_FORBIDDEN,
                        "Forbidden",
                        "The engine API needs membership in one of CertLoop's groups");
                return;
            }
        } else if (WEBAPP_LOGIN.matcher(path).matches() && "POST".equals(request.getMethod())) {
            String user = request.getParameter("username");
            String password = request.getParameter("password");
            if (user != null
                    && password != null
                    && identity.createUserQuery().userId(user).count() > 0
                    && !isPerson(groupsOf(user))) {
                // the password is checked (and throttled) as for anyone; only then is the login refused as forbidden
                boolean known = identity.checkPassword(user, password);
                refuse(
                        response,
                        known ? HttpServletResponse.SC_FORBIDDEN : HttpServletResponse.SC_UNAUTHORIZED,
                        known ? "Forbidden" : "Unauthorized",
                        "Login failed");
                return;
            }
        } else if (!sessionIsPeopleOnly(request.getSession(false))) {
            refuse(
                    response,
                    HttpServletResponse.SC_FORBIDDEN,
                    "Forbidden",
                    "The webapps need membership in one of CertLoop's groups");
            return;
        }
        chain.doFilter(request, response);
    }

    private Set<String> groupsOf(String user) {
        Set<String> groups = new HashSet<>();
        for (Group group : identity.createGroupQuery().groupMember(user).list()) {
            groups.add(group.getId());
        }
        return groups;
    }

    private static boolean sessionIsPeopleOnly(HttpSession session) {
        if (session == null) {
            return true;
        }
        Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
        List<UserAuthentication> users = authentications == null ? List.of() : authentications.getAuthentications();
        return users.stream().allMatch(user -> isPerson(user.getGroupIds()));
    }

    private static void refuse(HttpServletResponse response, int status, String type, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }
}
