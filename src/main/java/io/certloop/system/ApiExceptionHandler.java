package io.certloop.system;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns exceptions into RFC 9457 problem details. Client errors name what is wrong; server errors
 * carry only a correlation id, the details go to the log.
 */
@RestControllerAdvice(basePackages = "io.certloop")
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final int MAX_FIELD = 200;
    private static final int MAX_MESSAGE = 500;

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return invalid(e.errors());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return invalid(List.of(describe(e.getCause())));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return invalid(List.of(new FieldError(e.getName(), "not a valid value: " + e.getValue())));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ProblemDetail missingParameter(MissingServletRequestParameterException e) {
        return invalid(List.of(new FieldError(e.getParameterName(), "is required")));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Content type " + e.getContentType() + " is not supported here; use one of "
                        + e.getSupportedMediaTypes());
        problem.setTitle("Unsupported media type");
        return problem;
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ProblemDetail notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return problem(
                HttpStatus.NOT_ACCEPTABLE,
                "Not acceptable",
                "This route answers " + e.getSupportedMediaTypes() + " (errors as application/problem+json)");
    }

    /** A missing header, path variable or other binding of the request: the client's mistake. */
    @ExceptionHandler(ServletRequestBindingException.class)
    ProblemDetail binding(ServletRequestBindingException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", Text.cut(e.getMessage(), MAX_MESSAGE));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ProblemDetail method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ProblemDetail noResource(NoResourceFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", "No such resource: /" + e.getResourcePath());
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
        problem.setProperty("reason", e.reason());
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        return problem;
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
    }

    /** Two writers on the same rows (a lock not granted, a deadlock broken by the database): nothing was kept. */
    @ExceptionHandler(ConcurrencyFailureException.class)
    ProblemDetail concurrentChange(ConcurrencyFailureException e) {
        log.info("Concurrent change refused: {}", e.getMessage());
        return problem(
                HttpStatus.CONFLICT,
                "Conflict",
                "the record was being changed by another request or a running step at the same moment;"
                        + " nothing was changed, try again in a moment");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        String correlationId = UUID.randomUUID().toString();
        log.error("Unhandled error, correlation id {}", correlationId, e);
        ProblemDetail problem = problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error",
                "The server could not complete the request; quote correlation id " + correlationId);
        problem.setProperty("correlationId", correlationId);
        return problem;
    }

    /**
     * The one shape of a 400: {@code errors} lists every offending field with its message, and
     * {@code field} names the first, for callers that fix one thing at a time.
     */
    static ProblemDetail invalid(List<FieldError> given) {
        // a hostile request must not come back whole inside its own error: field names and messages are cut
        List<FieldError> errors = given.stream()
                .map(e -> new FieldError(Text.cut(e.field(), MAX_FIELD), Text.cut(e.message(), MAX_MESSAGE)))
                .toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                String.join("; ", errors.stream().map(FieldError::toString).toList()));
        problem.setTitle("Invalid request");
        if (!errors.isEmpty()) {
            problem.setProperty("field", errors.get(0).field());
        }
        problem.setProperty("errors", errors);
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    private static FieldError describe(Throwable cause) {
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return new FieldError(JsonPaths.of(unknown), "unknown field");
        }
        if (cause instanceof InvalidFormatException format) {
            return new FieldError(JsonPaths.of(format), "not a valid value: " + format.getValue());
        }
        if (cause instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            return new FieldError(JsonPaths.of(mismatch), "has the wrong type");
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new FieldError(JsonPaths.of(mapping), mapping.getOriginalMessage());
        }
        return new FieldError(
                "body",
                "is missing or not well-formed"
                        + (cause != null && cause.getMessage() != null ? ": " + firstLine(cause.getMessage()) : ""));
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
