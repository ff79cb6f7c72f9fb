package io.certloop.runbook;

import io.certloop.system.security.Groups;
import jakarta.annotation.PostConstruct;
import java.security.SecureRandom;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates CertLoop's groups, their engine authorizations ({@link EngineAuthorizations}) and the first
 * administrator. Runs at every start: groups and the administrator are only added when missing, the
 * authorizations are set to what {@link EngineAuthorizations} says, so it is safe on a cluster and across upgrades.
 */
@Component
class IdentityBootstrap {

    private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private static final Map<String, String> GROUP_NAMES = Map.of(
            Groups.OPERATORS, "Operators",
            Groups.APPROVERS, "Approvers",
            Groups.INCIDENT_COMMANDERS, "Incident commanders",
            Groups.PKI_BOARD, "PKI governance board",
            Groups.AUDITORS, "Auditors",
            Groups.ALERT_SENDERS, "Alert senders (webhook only)",
            Groups.AGENTS, "Agents on the services' hosts (agent steps only)",
            Groups.ADMIN, "Camunda BPM Administrators");

    private final IdentityService identityService;
    private final AuthorizationService authorizationService;
    private final String adminUser;
    private final String adminPassword;

    IdentityBootstrap(
            IdentityService identityService, AuthorizationService authorizationService, AdminProperties admin) {
        this.identityService = identityService;
        this.authorizationService = authorizationService;
        this.adminUser = admin.username();
        this.adminPassword = admin.password() == null ? "" : admin.password();
    }

    @PostConstruct
    void bootstrap() {
        GROUP_NAMES.forEach(this::ensureGroup);
        EngineAuthorizations.apply(authorizationService);
        ensureAdmin();
    }

    private void ensureGroup(String id, String name) {
        if (identityService.createGroupQuery().groupId(id).count() == 0) {
            Group group = identityService.newGroup(id);
            group.setName(name);
            group.setType(Groups.ADMIN.equals(id) ? "SYSTEM" : "WORKFLOW");
            identityService.saveGroup(group);
        }
    }

    private void ensureAdmin() {
        if (identityService.createUserQuery().userId(adminUser).count() > 0) {
            // failed logins never lock anyone for good, and a restart clears what they did to the administrator
            identityService.unlockUser(adminUser);
            return;
        }
        boolean generated = adminPassword == null || adminPassword.isBlank();
        String password = generated ? randomPassword() : adminPassword;
        User user = identityService.newUser(adminUser);
        user.setFirstName("CertLoop");
        user.setLastName("Administrator");
        user.setPassword(password);
        identityService.saveUser(user);
        identityService.createMembership(adminUser, Groups.ADMIN);
        identityService.createMembership(adminUser, Groups.OPERATORS);
        if (generated) {
            log.warn(
                    "Created administrator '{}' with generated password: {} (shown once; set CERTLOOP_ADMIN_PASSWORD to choose one)",
                    adminUser,
                    password);
        } else {
            log.info("Created administrator '{}' with the password from CERTLOOP_ADMIN_PASSWORD", adminUser);
        }
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
