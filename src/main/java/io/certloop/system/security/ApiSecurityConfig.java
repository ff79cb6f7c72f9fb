package io.certloop.system.security;

import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every {@code /api/**} call, every actuator endpoint except health, and the API description
 * ({@code /v3/api-docs}, Swagger UI) need a CertLoop user.
 * The engine's own REST API is guarded by the engine's filter (see the runbook package).
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfig implements WebMvcConfigurer {

    @Bean
    FilterRegistrationBean<ApiAuthenticationFilter> apiAuthenticationFilter(Authenticator authenticator) {
        FilterRegistrationBean<ApiAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ApiAuthenticationFilter(authenticator));
        registration.setName("certloopApiAuthentication");
        // the API description and Swagger UI need a user too: any CertLoop user may read them
        registration.addUrlPatterns(
                "/api/*", "/actuator/*", "/v3/api-docs/*", "/v3/api-docs.yaml", "/swagger-ui/*", "/swagger-ui.html");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    LoginThrottle loginThrottle(LoginThrottleProperties properties, java.time.Clock clock) {
        return new LoginThrottle(properties, clock);
    }

    /** Before every filter that checks a password: the API's, the engine API's and the webapps' login. */
    @Bean
    FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle) {
        FilterRegistrationBean<LoginThrottleFilter> registration =
                new FilterRegistrationBean<>(new LoginThrottleFilter(throttle));
        registration.setName("certloopLoginThrottle");
        registration.addUrlPatterns(
                "/api/*", "/actuator/*", "/engine-rest/*", "/camunda/api/admin/auth/user/*", "/incidents/login");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new GroupAccessInterceptor()).addPathPatterns("/api/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }
}
