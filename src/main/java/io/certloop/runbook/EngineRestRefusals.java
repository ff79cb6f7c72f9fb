package io.certloop.runbook;

import jakarta.annotation.Priority;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.exception.ProcessEngineExceptionHandler;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;
import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine wraps whatever a task listener throws, and its REST API answers such a wrapped exception with 500.
 * A refusal by CertLoop's listeners is the caller's problem, not the server's: a four-eyes refusal
 * ({@link AuthorizationException}) answers 403, a wrong form field ({@link FormFieldValidationException}) 400,
 * both with the listener's message. Everything else is answered exactly as the engine's own mappers do.
 */
@Configuration(proxyBeanMethods = false)
class EngineRestRefusals {

    @Bean
    CamundaJerseyResourceConfig engineRestResourceConfig() {
        return new CamundaJerseyResourceConfig() {
            @Override
            protected void registerAdditionalResources() {
                register(RestRefusals.class);
                register(EngineRefusals.class);
            }
        };
    }

    /** The refusal inside a wrapped exception, as a response; null when there is none. */
    static Response refusal(Throwable thrown) {
        for (Throwable cause = thrown.getCause();
                cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            Response.Status status = cause instanceof AuthorizationException
                    ? Response.Status.FORBIDDEN
                    : cause instanceof FormFieldValidationException ? Response.Status.BAD_REQUEST : null;
            if (status != null) {
                ExceptionDto body = ExceptionDto.fromException(cause);
                return Response.status(status)
                        .entity(body)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .build();
            }
        }
        return null;
    }

    /** Task completion wraps the listener's exception in a {@link RestException}. */
    @Provider
    @Priority(1000)
    static class RestRefusals implements ExceptionMapper<RestException> {

        private final RestExceptionHandler engine = new RestExceptionHandler();

        @Override
        public Response toResponse(RestException e) {
            Response refusal = refusal(e);
            return refusal != null ? refusal : engine.toResponse(e);
        }
    }

    /** Claim and set-assignee let the engine's exception through. */
    @Provider
    @Priority(1000)
    static class EngineRefusals implements ExceptionMapper<ProcessEngineException> {

        private final ProcessEngineExceptionHandler engine = new ProcessEngineExceptionHandler();

        @Override
        public Response toResponse(ProcessEngineException e) {
            if (e instanceof AuthorizationException) {
                return engine.toResponse(e);
            }
            Response refusal = refusal(e);
            return refusal != null ? refusal : engine.toResponse(e);
        }
    }
}
