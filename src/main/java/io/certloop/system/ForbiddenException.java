package io.certloop.system;

/** The caller is known but may not do this (wrong group, refused target). Answered as 403 with the reason. */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message);
    }
}
