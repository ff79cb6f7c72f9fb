package io.certloop.governance;

import java.time.Instant;

/**
 * One break-glass request on an open incident: an emergency replacement with the {@code emergency} profile,
 * approved by {@code approvalsNeeded} distinct approvers other than the requester, reviewed by the PKI board
 * by {@code reviewDueAt}, and replaced by a standard certificate before half its validity has passed.
 */
public record BreakGlassRecord(
        String id,
        String incidentId,
        String endpoint,
        String severity,
        String reason,
        BreakGlassState state,
        int approvalsNeeded,
        String requestedBy,
        Instant requestedAt,
        Instant approvedAt,
        Instant reviewDueAt,
        String reviewedBy,
        Instant reviewedAt,
        String emergencySha256,
        Instant emergencyNotAfter,
        String standardSha256,
        String processInstanceId,
        Instant updatedAt) {}
