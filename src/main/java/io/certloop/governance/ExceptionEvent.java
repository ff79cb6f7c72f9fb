package io.certloop.governance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One entry of an exception's decision history: what happened, when, and who did it. */
public record ExceptionEvent(Instant at, String type, String actor, JsonNode detail) {

    public static final String REQUESTED = "requested";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String REMINDED = "reminded";
    public static final String EXPIRED = "expired";
    public static final String REVOKED = "revoked";
    public static final String PROCESS_ATTACHED = "process-attached";
}
