package io.certloop.probe;

import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Maps probe failures to RFC 9457 problems: bad input names the field (400), an SSRF refusal gives
 * its reason (403). Scoped to the probe controllers; a refusal reveals only what the caller sent.
 */
@RestControllerAdvice(basePackageClasses = ProbeApiAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProbeApiAdvice {

    @ExceptionHandler(ProbeRefusedException.class)
    ProblemDetail refused(ProbeRefusedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.reason());
        problem.setTitle("Probe target refused");
        problem.setProperty("reason", e.reason());
        return problem;
    }

    @ExceptionHandler(InvalidProbeRequestException.class)
    ProblemDetail invalid(InvalidProbeRequestException e) {
        return badRequest(e.field(), e.getMessage(), List.of(e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail notValid(MethodArgumentNotValidException e) {
        List<String> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField() + ": " + error.getDefaultMessage()).sorted().toList();
        FieldError first = e.getBindingResult().getFieldErrors().stream()
                .min((a, b) -> a.getField().compareTo(b.getField())).orElse(null);
        String field = first == null ? null : first.getField();
        return badRequest(field, String.join("; ", errors), errors);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        String field = null;
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = mapping.getPath().get(0).getFieldName();
        }
        String detail = field == null ? "request body is not valid JSON" : field + ": has the wrong type";
        return badRequest(field, detail, List.of(detail));
    }

    private static ProblemDetail badRequest(String field, String detail, List<String> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid probe request");
        if (field != null) {
            problem.setProperty("field", field);
        }
        problem.setProperty("errors", errors);
        return problem;
    }
}
