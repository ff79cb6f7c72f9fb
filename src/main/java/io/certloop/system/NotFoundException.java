package io.certloop.system;

/** The named resource does not exist. Answered as 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
