package io.certloop.runbook;

import io.certloop.governance.BreakGlassRecord;
import io.certloop.governance.BreakGlassService;
import io.certloop.system.NotFoundException;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The break-glass runbook's log is CertLoop's break-glass record and the incident's timeline. */
@Component
class BreakGlassLogAdapter implements BreakGlassLog {

    private final BreakGlassService breakGlass;

    BreakGlassLogAdapter(BreakGlassService breakGlass) {
        this.breakGlass = breakGlass;
    }

    @Override
    public About about(String processInstanceId) {
        BreakGlassRecord record = breakGlass
                .findByProcessInstance(processInstanceId)
                .orElseThrow(
                        () -> new NotFoundException("no break-glass record for process instance " + processInstanceId));
        return new About(
                record.id(),
                record.incidentId(),
                record.endpoint(),
                record.severity(),
                record.reason(),
                record.requestedBy(),
                record.reviewDueAt(),
                record.emergencySha256());
    }

    @Override
    public String request(String incidentId, String reason, String requestedBy) {
        return breakGlass.request(incidentId, reason, requestedBy).id();
    }

    @Override
    public Decided decide(String processInstanceId, String approver, boolean approve, String comment) {
        BreakGlassService.Decision decision = breakGlass.decide(id(processInstanceId), approver, approve, comment);
        return new Decided(
                decision.state().value(), decision.approvals(), decision.approvalsNeeded(), decision.reviewDueAt());
    }

    @Override
    public void emergencyVerified(String processInstanceId, String sha256, Instant notAfter) {
        breakGlass.emergencyVerified(id(processInstanceId), sha256, notAfter);
    }

    @Override
    public void standardVerified(String processInstanceId, String sha256) {
        breakGlass.standardVerified(id(processInstanceId), sha256);
    }

    @Override
    public void reviewed(String processInstanceId, String reviewer, Map<String, Object> review) {
        breakGlass.reviewed(id(processInstanceId), reviewer, review);
    }

    private String id(String processInstanceId) {
        return breakGlass
                .findByProcessInstance(processInstanceId)
                .map(BreakGlassRecord::id)
                .orElseThrow(
                        () -> new NotFoundException("no break-glass record for process instance " + processInstanceId));
    }
}
