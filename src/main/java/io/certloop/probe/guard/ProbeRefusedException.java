package io.certloop.probe.guard;

import io.certloop.system.ForbiddenException;

/**
 * The SSRF guard refused a target: a probe is a network request to a caller-chosen place, so it
 * only goes where the operator allowed. The API answers 403 with the reason.
 */
public class ProbeRefusedException extends ForbiddenException {

    public ProbeRefusedException(String reason) {
        super("probe target refused: " + reason);
    }

    /** A refusal of one part of the request, e.g. {@code addresses[1]}: nothing of the request is probed. */
    public ProbeRefusedException(String field, String reason) {
        super(field, "probe target refused: " + reason);
    }
}
