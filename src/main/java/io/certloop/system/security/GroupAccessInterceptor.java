package io.certloop.system.security;

import io.certloop.system.ForbiddenException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Enforces {@link RequiresGroup} on controller methods and classes. */
class GroupAccessInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        RequiresGroup required = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequiresGroup.class);
        if (required == null) {
            required = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresGroup.class);
        }
        if (required == null) {
            return true;
        }
        Caller caller = (Caller) request.getAttribute(ApiAuthenticationFilter.CALLER_ATTRIBUTE);
        if (caller == null || !caller.isMemberOfAny(required.value())) {
            throw new ForbiddenException("This action needs membership in one of the groups "
                    + String.join(", ", required.value()));
        }
        return true;
    }
}
