package io.certloop.runbook;

import io.certloop.system.security.Authenticator;
import io.certloop.system.security.Caller;
import io.certloop.system.security.CurrentUser;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.stereotype.Component;

/**
 * Authenticates API callers against the engine's identity service (the users Tasklist knows), and
 * tells who acts on this thread: the engine's current authentication is set by the API filter, by
 * the webapps (Tasklist, Cockpit) and by the engine REST filter alike; jobs and
 * {@link AsCertLoop} run without one.
 */
@Component
class CamundaAuthenticator implements Authenticator, CurrentUser {

    private final IdentityService identityService;

    CamundaAuthenticator(IdentityService identityService) {
        this.identityService = identityService;
    }

    @Override
    public Optional<Caller> authenticate(String userId, String password) {
        if (userId == null || password == null || !identityService.checkPassword(userId, password)) {
            return Optional.empty();
        }
        Set<String> groups = identityService.createGroupQuery().groupMember(userId).list().stream()
                .map(Group::getId)
                .collect(Collectors.toSet());
        return Optional.of(new Caller(userId, groups));
    }

    @Override
    public void enter(Caller caller) {
        identityService.setAuthentication(caller.userId(), List.copyOf(caller.groups()));
    }

    @Override
    public Optional<String> userId() {
        org.camunda.bpm.engine.impl.identity.Authentication current = identityService.getCurrentAuthentication();
        return current == null
                        || current.getUserId() == null
                        || current.getUserId().isBlank()
                ? Optional.empty()
                : Optional.of(current.getUserId());
    }

    @Override
    public void exit() {
        identityService.clearAuthentication();
    }
}
