package io.certloop.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * How {@code /api} reads requests: bounded bodies and no cross-site form posts ({@link ApiRequestGuard}), and
 * JSON read strictly. Unknown fields are refused (400 naming the field; {@code spring.jackson.deserialization.
 * fail-on-unknown-properties}) except where a foreign sender's format grows (Alertmanager), and a number or a
 * boolean where text belongs is refused rather than turned into text ({@code "reason": 5} is a mistake, not a
 * reason). Nesting deeper than Jackson's stream limits (1000 levels) is refused as malformed.
 */
@Configuration(proxyBeanMethods = false)
class ApiWebConfig {

    @Bean
    FilterRegistrationBean<ApiRequestGuard> apiRequestGuard(ApiProperties properties, ObjectMapper json) {
        FilterRegistrationBean<ApiRequestGuard> registration =
                new FilterRegistrationBean<>(new ApiRequestGuard(properties, json));
        registration.setName("certloopApiRequestGuard");
        registration.addUrlPatterns("/api/*");
        // after the login throttle and authentication (HIGHEST_PRECEDENCE + 5 and + 10)
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictText() {
        return builder -> builder.postConfigurer(mapper -> mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
