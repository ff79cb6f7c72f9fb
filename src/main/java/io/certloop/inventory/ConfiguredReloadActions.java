package io.certloop.inventory;

import io.certloop.deployment.ReloadActions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The inventory accepts only reload action names the deployment configuration defines. */
@Configuration(proxyBeanMethods = false)
class ConfiguredReloadActions {

    @Bean
    ReloadActionCatalog reloadActionCatalog(ReloadActions reloadActions) {
        return reloadActions::exists;
    }
}
