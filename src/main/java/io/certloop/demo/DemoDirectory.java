package io.certloop.demo;

import io.certloop.deployment.DeploymentDirectoryGrant;
import io.certloop.system.CertLoopProperties;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demo service's files live in {@code <data-dir>/demo}; while the demo is on, its runbook may deploy there
 * although the data directory is otherwise refused to every deployment and no directory need be configured.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "certloop.demo.enabled", havingValue = "true", matchIfMissing = true)
class DemoDirectory {

    static Path of(CertLoopProperties certloop) {
        return certloop.dataDir().resolve("demo").toAbsolutePath().normalize();
    }

    @Bean
    DeploymentDirectoryGrant demoDeploymentDirectory(CertLoopProperties certloop) {
        return new DeploymentDirectoryGrant(of(certloop), "the demo service's certificate files");
    }
}
