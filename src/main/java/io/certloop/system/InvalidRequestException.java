package io.certloop.system;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The request is wrong and nothing was written. Answered as 400 with every offending field named,
 * so a caller can fix all of them at once.
 */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
