package io.certloop.system;

/** The request is valid but clashes with the current state (for example a task already completed). Answered as 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
