package io.certloop.system.security;

import io.certloop.system.ForbiddenException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Enforces {@link RequiresGroup} on controller methods and classes. A route without it is open to every
 * member of a CertLoop group ({@link Groups#CERTLOOP}), never to a webhook identity or a user in no group.
 */
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
        Caller caller = (Caller) request.getAttribute(ApiAuthenticationFilter.CALLER_ATTRIBUTE);
        if (required == null) {
            // no annotation: any CertLoop person; a webhook identity or a user in no group is refused
            if (caller == null || !caller.isStaff()) {
                throw new ForbiddenException(
                        "This action needs membership in one of the groups " + String.join(", ", Groups.CERTLOOP));
            }
            return true;
        }
        if (caller == null || !caller.isMemberOfAny(required.value())) {
            throw new ForbiddenException(
                    "This action needs membership in one of the groups " + String.join(", ", required.value()));
        }
        return true;
    }
}
