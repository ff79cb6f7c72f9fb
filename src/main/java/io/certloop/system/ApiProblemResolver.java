package io.certloop.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Problem details also for an {@code /api} request that fails before any CertLoop controller is chosen: no such
 * route (404), a method the route does not have (405), a content type or {@code Accept} its mapping does not
 * take (415, 406). {@link ApiExceptionHandler} only advises CertLoop's own controllers; without this, such
 * answers came from the servlet container's error page in another dialect, or empty. The same handler methods
 * decide the answer, so there is still one dialect.
 */
@Component
class ApiProblemResolver implements HandlerExceptionResolver, Ordered {

    private final ApiExceptionHandler handler;
    private final ExceptionHandlerMethodResolver methods =
            new ExceptionHandlerMethodResolver(ApiExceptionHandler.class);
    private final ObjectMapper json;

    ApiProblemResolver(ApiExceptionHandler handler, ObjectMapper json) {
        this.handler = handler;
        this.json = json;
    }

    @Override
    public int getOrder() {
        // after Boot's DefaultErrorAttributes (which only records the exception), before Spring's own resolvers
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public ModelAndView resolveException(
            HttpServletRequest request, HttpServletResponse response, Object chosen, Exception e) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean ours = chosen instanceof HandlerMethod method
                && method.getBeanType().getPackageName().startsWith("io.certloop");
        if (!path.startsWith("/api/") || ours || response.isCommitted()) {
            return null;
        }
        Method method = methods.resolveMethodByThrowable(e);
        if (method == null) {
            return null;
        }
        Throwable argument = method.getParameterTypes()[0].isInstance(e) ? e : e.getCause();
        try {
            ProblemDetail problem = (ProblemDetail) method.invoke(handler, argument);
            response.setStatus(problem.getStatus());
            if (e instanceof HttpRequestMethodNotSupportedException unsupported
                    && unsupported.getSupportedHttpMethods() != null) {
                response.setHeader(
                        "Allow",
                        String.join(
                                ", ",
                                unsupported.getSupportedHttpMethods().stream()
                                        .map(Object::toString)
                                        .toList()));
            }
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getOutputStream().write(json.writeValueAsBytes(problem));
            return new ModelAndView();
        } catch (IllegalAccessException | InvocationTargetException | IOException failed) {
            return null;
        }
    }
}
