package io.certloop.system;

/**
 * The caller is known but may not do this (wrong group, refused target). Answered as 403; the
 * problem's {@code reason} says why in words that reveal nothing the caller did not send, and
 * {@code field} names the part of the request that was refused, when one was.
 */
public class ForbiddenException extends RuntimeException {

    private final String field;

    public ForbiddenException(String reason) {
        this(null, reason);
    }

    public ForbiddenException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String reason() {
        return getMessage();
    }

    /** The refused request field (for example {@code addresses[1]}), or null. */
    public String field() {
        return field;
    }
}
