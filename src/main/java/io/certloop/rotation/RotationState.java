package io.certloop.rotation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Awaiting approval (over the approval threshold), then running wave by wave; paused by a person between
 * endpoints; halted when a wave failed more than allowed, until an incident commander decides; completed,
 * aborted or rejected at the end.
 */
public enum RotationState {
    AWAITING_APPROVAL("awaiting-approval"),
    RUNNING("running"),
    PAUSED("paused"),
    HALTED("halted"),
    COMPLETED("completed"),
    ABORTED("aborted"),
    REJECTED("rejected");

    private final String value;

    RotationState(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** Completed, aborted or rejected: nothing more happens to it. */
    public boolean finished() {
        return this == COMPLETED || this == ABORTED || this == REJECTED;
    }

    public static Optional<RotationState> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
