package io.certloop.deployment;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the reload actions and the files deployer from {@code certloop.deployment.*}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeploymentProperties.class)
class DeploymentConfiguration {

    @Bean
    ReloadActions reloadActions(DeploymentProperties properties, ObjectProvider<Clock> clock) {
        return new ReloadActions(properties, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    FilesDeployer filesDeployer(
            DeploymentProperties properties, ReloadActions reloadActions, ObjectProvider<Clock> clock) {
        return new FilesDeployer(
                reloadActions,
                new ManifestStore(properties.stateDirectory()),
                new ServiceAnswerWaiter(properties.answerTimeout()),
                clock.getIfAvailable(Clock::systemUTC));
    }
}
