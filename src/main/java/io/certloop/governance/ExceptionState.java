package io.certloop.governance;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Pending until the PKI board decides; active (its finding opens no incident) until it expires or is
 * revoked; rejected otherwise. Only an active exception suppresses anything.
 */
public enum ExceptionState {
    PENDING("pending"),
    ACTIVE("active"),
    REJECTED("rejected"),
    EXPIRED("expired"),
    REVOKED("revoked");

    private final String value;

    ExceptionState(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public static Optional<ExceptionState> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }

    static String allowed() {
        return String.join(
                ", ", Arrays.stream(values()).map(ExceptionState::value).toList());
    }
}
