package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.governance.BreakGlassRecord;
import io.certloop.governance.BreakGlassRequested;
import io.certloop.governance.BreakGlassService;
import io.certloop.governance.ExceptionRecord;
import io.certloop.governance.ExceptionRequested;
import io.certloop.governance.ExceptionRevoked;
import io.certloop.governance.ExceptionService;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.remediation.RemediationService;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Starts the governance runbooks in the transaction that stored their request: {@code exception-review} for each
 * requested exception (business key = exception id), {@code break-glass} for each break-glass request (business
 * key = incident id); and tells a running review that the board revoked its exception.
 */
@Component
class GovernanceLauncher {

    static final String EXCEPTION_REVIEW = "exception-review";
    static final String BREAK_GLASS = "break-glass";
    /** The issuance profile only the break-glass runbook issues from. */
    static final String EMERGENCY_PROFILE = "emergency";
    /** Message the active exception waits for (a receive task). */
    static final String EXCEPTION_REVOKED_MESSAGE = "exceptionRevoked";

    private static final Logger log = LoggerFactory.getLogger(GovernanceLauncher.class);

    private final RuntimeService runtime;
    private final IdentityService identity;
    private final ExceptionService exceptions;
    private final BreakGlassService breakGlass;
    private final InventoryService inventory;
    private final IssuanceProperties issuance;
    private final RemediationService remediation;
    private final ConflictRetries retries;

    GovernanceLauncher(
            RuntimeService runtime,
            IdentityService identity,
            ExceptionService exceptions,
            BreakGlassService breakGlass,
            InventoryService inventory,
            IssuanceProperties issuance,
            RemediationService remediation,
            ConflictRetries retries) {
        this.retries = retries;
        this.remediation = remediation;
        this.runtime = runtime;
        this.identity = identity;
        this.exceptions = exceptions;
        this.breakGlass = breakGlass;
        this.inventory = inventory;
        this.issuance = issuance;
    }

    @EventListener
    void exceptionRequested(ExceptionRequested requested) {
        ExceptionRecord exception = requested.exception();
        Map<String, Object> variables = new HashMap<>();
        variables.put(EXCEPTION_ID, exception.id());
        variables.put(ENDPOINT, exception.endpoint());
        variables.put(FINDING_CODE, exception.findingCode());
        variables.put(REASON, exception.reason());
        variables.put(COMPENSATING_CONTROLS, exception.compensatingControls());
        variables.put(REQUESTER, exception.requestedBy());
        variables.put(REQUESTED_EXPIRES_AT, exception.requestedExpiresAt().toString());
        variables.put(PREVIOUS_DECISIONS, requested.previousDecisions());
        ProcessInstance instance = AsCertLoop.call(
                identity, () -> runtime.startProcessInstanceByKey(EXCEPTION_REVIEW, exception.id(), variables));
        exceptions.attachProcess(exception.id(), instance.getId());
        log.info(
                "Exception {} ({} on {}): started {} as process instance {}",
                exception.id(),
                exception.findingCode(),
                exception.endpoint(),
                EXCEPTION_REVIEW,
                instance.getId());
    }

    /**
     * After the revocation is committed (the record already ends the suppression), the waiting review process is
     * told. A job of the same process (its reminder) may hold the execution at that moment: the correlation is
     * retried on the engine's optimistic-locking conflict instead of failing the board's revocation.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void exceptionRevoked(ExceptionRevoked revoked) {
        boolean told = retries.run(() -> AsCertLoop.call(
                identity,
                () -> runtime.createMessageCorrelation(EXCEPTION_REVOKED_MESSAGE)
                        .processInstanceBusinessKey(revoked.exception().id())
                        .setVariable(REVOKED_BY, revoked.revokedBy())
                        .correlateAllWithResult()));
        if (!told) {
            log.error(
                    "Exception {} is revoked, but its review process could not be told after {} attempts; "
                            + "it ends at its expiry timer instead",
                    revoked.exception().id(),
                    ConflictRetries.ATTEMPTS);
        }
    }

    @EventListener
    void breakGlassRequested(BreakGlassRequested requested) {
        BreakGlassRecord request = requested.breakGlass();
        Endpoint endpoint = inventory.get(request.endpoint());
        IssuanceProperties.Profile emergency = issuance.profile(EMERGENCY_PROFILE);
        Map<String, Object> variables = new HashMap<>();
        variables.put(BREAK_GLASS_ID, request.id());
        variables.put(INCIDENT_ID, request.incidentId());
        variables.put(ENDPOINT, request.endpoint());
        variables.put(SEVERITY, request.severity());
        variables.put(REASON, request.reason());
        variables.put(REQUESTER, request.requestedBy());
        variables.put(APPROVALS_NEEDED, request.approvalsNeeded());
        variables.put(APPROVALS, 0);
        String path = remediation.issuancePath(endpoint.name(), EMERGENCY_PROFILE);
        variables.put(REPLACEMENT_PATH, path);
        variables.put(
                WHAT_WILL_BE_ISSUED,
                "A certificate from the emergency profile (valid " + emergency.validity()
                        + ", " + emergency.keyType() + ", only for "
                        + (emergency.allowedDomains().isEmpty()
                                ? "any domain"
                                : String.join(", ", emergency.allowedDomains()))
                        + ") for " + String.join(", ", endpoint.expectedNames())
                        + " through " + path + ", deployed to " + endpoint.name()
                        + " and verified live; replaced by a standard certificate before half its validity has passed.");
        variables.put(ISSUE_ATTEMPTS, 0);
        variables.put(DEPLOY_ATTEMPTS, 0);
        variables.put(VERIFY_ATTEMPTS, 0);
        ProcessInstance instance = AsCertLoop.call(
                identity, () -> runtime.startProcessInstanceByKey(BREAK_GLASS, request.incidentId(), variables));
        breakGlass.attachProcess(request.id(), instance.getId());
        log.info(
                "Break-glass {} on incident {}: started {} as process instance {}",
                request.id(),
                request.incidentId(),
                BREAK_GLASS,
                instance.getId());
    }
}
