package io.certloop.deployment;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Deployment through agents. The server reads {@code deliver-within}; an agent (the same jar with the {@code agent}
 * profile) reads the rest, beside its own {@code certloop.deployment.reload-actions} and
 * {@code allowed-directories}.
 *
 * @param deliverWithin how long a runbook waits for the group's agent to take and finish a step before a person is
 *     asked (server)
 * @param serverUrl the CertLoop server the agent polls, e.g. {@code https://certloop.example.com} (agent)
 * @param group the agent group whose topics this agent serves (agent)
 * @param username a user in the server's group {@code agents}; from {@code CERTLOOP_AGENT_USERNAME} (agent)
 * @param password its password; from {@code CERTLOOP_AGENT_PASSWORD} (agent)
 * @param pollTimeout how long one long poll waits on the server for work (agent)
 * @param lockDuration how long the agent holds a step it took before another agent of the group may take it (agent)
 * @param keyDirectory where the agent keeps keys it generated until their certificate is deployed and verified;
 *     owner-only (agent)
 */
@ConfigurationProperties("certloop.agent")
public record AgentProperties(
        @DefaultValue("5m") Duration deliverWithin,
        URI serverUrl,
        String group,
        String username,
        String password,
        @DefaultValue("30s") Duration pollTimeout,
        @DefaultValue("2m") Duration lockDuration,
        @DefaultValue("data/agent-keys") Path keyDirectory) {

    public AgentProperties {
        if (deliverWithin.isNegative() || deliverWithin.isZero()) {
            throw new IllegalArgumentException("certloop.agent.deliver-within must be positive");
        }
        if (group != null && !group.isBlank() && !AgentTopics.isGroup(group)) {
            throw new IllegalArgumentException(
                    "certloop.agent.group must be 1-63 lower-case letters, digits or '-', was " + group);
        }
    }

    @Override
    public String toString() {
        return "AgentProperties[serverUrl=" + serverUrl + ", group=" + group + ", username=" + username + "]";
    }
}
