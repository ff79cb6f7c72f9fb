package io.certloop.runbook;

import java.time.Instant;
import java.util.List;

/**
 * What the exception-review runbook tells the exception record, and what it reads back from it. A port so
 * delegates and listeners stay thin and process tests run on a bare engine. The record, not a process
 * variable, says who asked and what holds.
 */
interface ExceptionLog {

    /**
     * What the exception is about, from its record.
     *
     * @throws io.certloop.system.NotFoundException no such exception
     */
    About about(String exceptionId);

    /**
     * Records the board's decision as {@code decidedBy}.
     *
     * @throws io.certloop.system.ForbiddenException      four eyes (the requester decides)
     * @throws io.certloop.system.InvalidRequestException a field of the decision is wrong
     * @throws io.certloop.system.ConflictException       no longer pending
     */
    Decided decide(String exceptionId, String decidedBy, boolean approve, String comment, String approvedExpiresAt);

    /** Ends an active exception as expired; the state the record has afterwards (revoked when the board was first). */
    String expire(String exceptionId);

    /**
     * The exception's state ({@code active}, {@code revoked}, ...) from its record, which stays locked until the
     * step's transaction ends, so a revocation is either seen here or waits until the process waits for it.
     */
    String standing(String exceptionId);

    void reminded(String exceptionId, List<String> recipients);

    /** What holds after the decision. */
    record Decided(String state, Instant expiresAt) {

        boolean active() {
            return "active".equals(state);
        }
    }

    /** The record's facts a step acts on: never a process variable. */
    record About(String endpoint, String findingCode, String requestedBy, String reason, String compensatingControls) {}
}
