package io.certloop.incident;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Open until the live endpoint is verified fixed (resolved); closed after review. */
public enum IncidentState {
    OPEN("open"),
    RESOLVED("resolved"),
    CLOSED("closed");

    private final String value;

    IncidentState(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public static Optional<IncidentState> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
