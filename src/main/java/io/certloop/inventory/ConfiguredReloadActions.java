package io.certloop.inventory;

import io.certloop.deployment.DeploymentPaths;
import io.certloop.deployment.ReloadActions;
import io.certloop.issuance.IssuanceProperties;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The inventory accepts only what server configuration allows: reload action names the deployment configuration
 * defines, deployment paths in its allowed directories, and names the endpoint's issuance profile may issue for.
 */
@Configuration(proxyBeanMethods = false)
class ConfiguredReloadActions {

    @Bean
    ReloadActionCatalog reloadActionCatalog(ReloadActions reloadActions) {
        return reloadActions::exists;
    }

    @Bean
    DeploymentPathRules deploymentPathRules(DeploymentPaths paths) {
        return path -> paths.refusal(Path.of(path));
    }

    @Bean
    IssuanceNameRules issuanceNameRules(IssuanceProperties issuance) {
        return new IssuanceNameRules() {
            @Override
            public boolean hasProfile(String profile) {
                return issuance.hasProfile(profile);
            }

            @Override
            public java.util.Optional<String> refusal(String profile, String name) {
                return issuance.refusal(profile, name);
            }
        };
    }
}
