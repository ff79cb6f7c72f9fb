package io.certloop.runbook;

import io.certloop.fleet.AgentPolls;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The engine REST API ({@code /engine-rest}) has no starter switch for authentication; this is it. Behind it,
 * the engine API and the webapps are for members of CertLoop's groups only ({@link PeopleOnlyFilter}).
 */
@Configuration(proxyBeanMethods = false)
class EngineRestSecurityConfig {

    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthenticationFilter() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setName("camunda-auth");
        registration.addInitParameter("authentication-provider", HttpBasicAuthenticationProvider.class.getName());
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 20);
        return registration;
    }

    @Bean
    FilterRegistrationBean<PeopleOnlyFilter> peopleOnlyFilter(
            IdentityService identity, ExternalTaskService externalTasks, AgentPolls polls) {
        FilterRegistrationBean<PeopleOnlyFilter> registration =
                new FilterRegistrationBean<>(new PeopleOnlyFilter(identity, new AgentRestGuard(externalTasks, polls)));
        registration.setName("certloopPeopleOnly");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }
}
