package io.certloop.rotation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** One endpoint of a rotation: pending, in progress, verified live with a fresh probe, or failed. */
public enum EndpointState {
    PENDING("pending"),
    IN_PROGRESS("in-progress"),
    VERIFIED("verified"),
    FAILED("failed");

    private final String value;

    EndpointState(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public static Optional<EndpointState> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
