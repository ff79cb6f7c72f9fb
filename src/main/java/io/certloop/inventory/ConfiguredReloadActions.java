package io.certloop.inventory;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Fallback catalog reading {@code certloop.deployment.reload-actions} when no deployer provides one. */
@Configuration(proxyBeanMethods = false)
class ConfiguredReloadActions {

    @Bean
    @ConditionalOnMissingBean(ReloadActionCatalog.class)
    ReloadActionCatalog configuredReloadActionCatalog(Environment environment) {
        Map<String, String> actions = Binder.get(environment)
                .bind("certloop.deployment.reload-actions", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return actions::containsKey;
    }
}
