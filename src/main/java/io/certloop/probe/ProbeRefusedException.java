package io.certloop.probe;

/**
 * The SSRF guard refused a target: a probe is a network request to a caller-chosen place, so it
 * only goes where the operator allowed. The API answers 403 with {@link #reason()}.
 */
public class ProbeRefusedException extends RuntimeException {

    private final String reason;

    public ProbeRefusedException(String reason) {
        super("probe target refused: " + reason);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
