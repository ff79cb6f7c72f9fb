package io.certloop.system;

/**
 * The caller is known but may not do this (wrong group, refused target). Answered as 403; the
 * problem's {@code reason} says why in words that reveal nothing the caller did not send.
 */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String reason) {
        super(reason);
    }

    public String reason() {
        return getMessage();
    }
}
