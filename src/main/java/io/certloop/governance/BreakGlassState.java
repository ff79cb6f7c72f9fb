package io.certloop.governance;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Pending until enough distinct approvers approve (or one rejects); approved while the emergency replacement
 * runs and until the PKI board has reviewed it; reviewed at the end. An approved, unreviewed break-glass
 * keeps its incident from closing.
 */
public enum BreakGlassState {
    PENDING("pending"),
    APPROVED("approved"),
    REJECTED("rejected"),
    REVIEWED("reviewed");

    private final String value;

    BreakGlassState(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    static BreakGlassState parse(String value) {
        for (BreakGlassState state : values()) {
            if (state.value.equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown break-glass state " + value);
    }
}
