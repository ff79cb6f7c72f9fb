package io.certloop.runbook;

import java.time.Instant;
import java.util.Map;

/**
 * What the break-glass runbook tells the break-glass record (and through it the incident's timeline). The
 * record is found by the process instance, never by a variable someone could change.
 */
interface BreakGlassLog {

    /**
     * What the break-glass of this process instance is about, from its record.
     *
     * @throws io.certloop.system.NotFoundException the process instance has no break-glass record
     */
    About about(String processInstanceId);

    /**
     * Asks for a break-glass on the incident, as {@code requestedBy} (four eyes then applies to them), exactly as
     * {@code POST /api/incidents/{id}/break-glass} does; its process starts in this transaction.
     *
     * @return the break-glass id
     * @throws io.certloop.system.InvalidRequestException naming {@code reason}
     * @throws io.certloop.system.ConflictException       the incident is not open, or a break-glass is running
     */
    String request(String incidentId, String reason, String requestedBy);

    /**
     * One approver's decision, as the authenticated user.
     *
     * @throws io.certloop.system.ForbiddenException      the requester, or someone who already approved
     * @throws io.certloop.system.InvalidRequestException a field of the decision is wrong
     * @throws io.certloop.system.ConflictException       no longer pending
     */
    Decided decide(String processInstanceId, String approver, boolean approve, String comment);

    void emergencyVerified(String processInstanceId, String sha256, Instant notAfter);

    void standardVerified(String processInstanceId, String sha256);

    void reviewed(String processInstanceId, String reviewer, Map<String, Object> review);

    /**
     * @param state       pending (more approvals needed), approved or rejected
     * @param reviewDueAt set once approved: the board's review is due then
     */
    record Decided(String state, int approvals, int approvalsNeeded, Instant reviewDueAt) {}

    /** The record's facts a step acts on: never a process variable. */
    record About(
            String id,
            String incidentId,
            String endpoint,
            String severity,
            String reason,
            String requestedBy,
            Instant reviewDueAt,
            String emergencySha256) {}
}
