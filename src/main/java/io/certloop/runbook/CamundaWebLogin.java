package io.certloop.runbook;

import io.certloop.system.security.Caller;
import io.certloop.system.security.WebLogin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.stereotype.Component;

/** The webapps' session login (Camunda's {@code Authentications} in the HTTP session), for CertLoop's pages. */
@Component
class CamundaWebLogin implements WebLogin {

    private final ProcessEngine engine;

    CamundaWebLogin(ProcessEngine engine) {
        this.engine = engine;
    }

    @Override
    public Optional<Caller> current(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Optional.empty();
        }
        Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
        if (authentications == null
                || !(authentications.getAuthenticationForProcessEngine(engine.getName())
                        instanceof UserAuthentication user)
                || user.getName() == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Caller(user.getName(), user.getGroupIds() == null ? Set.of() : new HashSet<>(user.getGroupIds())));
    }

    @Override
    public Optional<Caller> login(HttpServletRequest request, String userId, String password) {
        if (userId == null || password == null || !engine.getIdentityService().checkPassword(userId, password)) {
            return Optional.empty();
        }
        List<String> groups = AuthenticationUtil.getGroupsOfUser(engine, userId);
        List<String> tenants = AuthenticationUtil.getTenantsOfUser(engine, userId);
        UserAuthentication authentication = AuthenticationUtil.createAuthentication(engine, userId, groups, tenants);
        AuthenticationUtil.revalidateSession(request, authentication);
        return Optional.of(new Caller(userId, new HashSet<>(groups)));
    }
}
