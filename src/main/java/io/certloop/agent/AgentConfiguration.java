package io.certloop.agent;

import io.certloop.deployment.AgentProperties;
import io.certloop.deployment.AgentTopics;
import io.certloop.deployment.Deployer;
import io.certloop.deployment.DeploymentConfiguration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The agent mode's whole application: the files deployer of the server (same code, this host's configuration), the
 * keys it generates, and an external task client that long-polls the group's topics. Deliberately not a
 * {@code @Configuration}: the server's component scan must never find it; {@link AgentApplication} starts it alone.
 */
@Import(DeploymentConfiguration.class)
class AgentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AgentConfiguration.class);
    static final String VERSION_HEADER = "X-CertLoop-Agent-Version";

    @Bean
    HostKeyStore hostKeyStore(AgentProperties properties) {
        return new HostKeyStore(properties.keyDirectory());
    }

    @Bean
    AgentWorker agentWorker(Deployer filesDeployer, HostKeyStore keys) {
        return new AgentWorker(filesDeployer, keys);
    }

    @Bean(destroyMethod = "stop")
    ExternalTaskClient externalTaskClient(AgentProperties properties, AgentWorker worker) {
        if (properties.serverUrl() == null
                || properties.group() == null
                || properties.group().isBlank()) {
            throw new IllegalStateException("agent mode needs certloop.agent.server-url and certloop.agent.group");
        }
        if (properties.username() == null || properties.password() == null) {
            throw new IllegalStateException(
                    "agent mode needs CERTLOOP_AGENT_USERNAME and CERTLOOP_AGENT_PASSWORD (a user in group agents)");
        }
        String version = version();
        String base = properties.serverUrl().toString().replaceAll("/+$", "") + "/engine-rest";
        ExternalTaskClient client = ExternalTaskClient.create()
                .baseUrl(base)
                .workerId(hostName() + "/" + properties.group())
                .asyncResponseTimeout(properties.pollTimeout().toMillis())
                .lockDuration(properties.lockDuration().toMillis())
                .maxTasks(1)
                // a long poll returns at once when work arrives; backing off after an empty one would only delay it
                .disableBackoffStrategy()
                .addInterceptor(new BasicAuthProvider(properties.username(), properties.password()))
                .addInterceptor(request -> request.addHeader(VERSION_HEADER, version))
                .build();
        client.subscribe(AgentTopics.csrTopic(properties.group()))
                .variables(AgentTopics.REQUEST_ID, AgentTopics.NAMES, AgentTopics.KEY_TYPE)
                .handler(worker::csr)
                .open();
        client.subscribe(AgentTopics.deployTopic(properties.group()))
                .variables(
                        AgentTopics.ACTION,
                        AgentTopics.REQUEST_ID,
                        AgentTopics.DEPLOYMENT_ID,
                        AgentTopics.CERTIFICATE_PATH,
                        AgentTopics.CHAIN_PATH,
                        AgentTopics.FULLCHAIN_PATH,
                        AgentTopics.KEY_PATH,
                        AgentTopics.RELOAD_ACTION,
                        AgentTopics.LEAF_PEM,
                        AgentTopics.CHAIN_PEMS,
                        AgentTopics.ANSWER_HOST,
                        AgentTopics.ANSWER_PORT)
                .handler(worker::deploy)
                .open();
        log.info("CertLoop agent {} polls {} for group {}", version, base, properties.group());
        return client;
    }

    static String version() {
        String version = AgentConfiguration.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
