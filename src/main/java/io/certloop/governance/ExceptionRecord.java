package io.certloop.governance;

import java.time.Instant;

/**
 * A time-boxed exception to certificate policy: while active, {@code findingCode} on {@code endpoint}
 * opens no incident. Its id ({@code EXC-2026-000001}) is the business key of its {@code exception-review}
 * process. Called a record, not an exception, so nobody mistakes it for a Throwable.
 *
 * @param requestedExpiresAt what the requester asked for
 * @param expiresAt          what holds: the requested expiry, or the shorter one the board approved
 */
public record ExceptionRecord(
        String id,
        String endpoint,
        String findingCode,
        String reason,
        String compensatingControls,
        ExceptionState state,
        String requestedBy,
        Instant requestedAt,
        Instant requestedExpiresAt,
        Instant expiresAt,
        String decidedBy,
        Instant decidedAt,
        String decisionComment,
        Instant endedAt,
        String processInstanceId,
        Instant updatedAt) {

    /** Active and not past its expiry (a late timer never extends an exception). */
    public boolean suppressesAt(Instant now) {
        return state == ExceptionState.ACTIVE && expiresAt.isAfter(now);
    }
}
