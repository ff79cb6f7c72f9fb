package io.certloop.deployment;

import io.certloop.system.CertLoopProperties;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the reload actions, the allowed directories and the files deployer from {@code certloop.deployment.*}. Public
 * for the agent mode, which imports it: an agent writes files with exactly the server's files deployer.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DeploymentProperties.class, CertLoopProperties.class, AgentProperties.class})
public class DeploymentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeploymentConfiguration.class);

    @Bean
    ReloadActions reloadActions(DeploymentProperties properties, ObjectProvider<Clock> clock) {
        return new ReloadActions(properties, clock.getIfAvailable(Clock::systemUTC));
    }

    /**
     * The allowed directories of the configuration and the grants of CertLoop's code (the demo's), minus CertLoop's
     * own data directory and deployment state.
     */
    @Bean
    DeploymentPaths deploymentPaths(
            DeploymentProperties properties,
            CertLoopProperties certloop,
            ObjectProvider<DeploymentDirectoryGrant> grants) {
        List<DeploymentDirectoryGrant> granted = grants.orderedStream().toList();
        DeploymentPaths paths = new DeploymentPaths(
                properties.allowedDirectories(), List.of(certloop.dataDir(), properties.stateDirectory()), granted);
        log.info(
                "Deployments may write in {}{}; never in the data directory {}",
                properties.allowedDirectories().isEmpty() ? "no configured directory" : properties.allowedDirectories(),
                granted.isEmpty()
                        ? ""
                        : " and "
                                + granted.stream()
                                        .map(g -> g.directory() + " (" + g.why() + ")")
                                        .toList(),
                certloop.dataDir().toAbsolutePath().normalize());
        return paths;
    }

    @Bean
    FilesDeployer filesDeployer(
            DeploymentProperties properties,
            ReloadActions reloadActions,
            DeploymentPaths paths,
            ObjectProvider<Clock> clock) {
        return new FilesDeployer(
                reloadActions,
                new ManifestStore(properties.stateDirectory()),
                new ServiceAnswerWaiter(properties.answerTimeout()),
                clock.getIfAvailable(Clock::systemUTC),
                paths);
    }
}
