package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.deployment.AgentTopics;
import io.certloop.incident.TimelineTypes;
import io.certloop.issuance.CaUnavailableException;
import io.certloop.issuance.IssuanceException;
import io.certloop.issuance.IssuanceStep;
import io.certloop.outage.CaOutageService;
import io.certloop.remediation.RemediationService;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Step 4: starts issuance through the endpoint's replacement path, or through the fallback issuer configuration
 * names for its profile when the outage it waits on has an approver's decision for it (read from the outage
 * record). The idempotency key is the incident and the attempt, so a retried job resumes the same order instead
 * of minting again. An issuer that answers has its failures forgotten.
 */
@Component("beginIssuanceDelegate")
class BeginIssuanceDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final RunbookRecords records;
    private final CaOutageService outages;

    BeginIssuanceDelegate(
            RemediationService remediation, IncidentLog incidents, RunbookRecords records, CaOutageService outages) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
        this.outages = outages;
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        String endpoint = records.endpoint(incidentId);
        String key = RunbookRecords.issuanceKeyPrefix(incidentId) + intVariable(execution, ISSUE_ATTEMPTS);
        Optional<String> fallback = outages.approvedFallbackFor(incidentId);
        String path = fallback.orElseGet(() -> remediation.issuancePath(endpoint, null));
        execution.setVariable(ISSUANCE_PATH, path);
        try {
            String csr = string(execution, AGENT_GROUP) == null ? null : string(execution, AgentTopics.CSR);
            if (string(execution, AGENT_GROUP) != null && csr == null) {
                // never fall back to a key in custody for an endpoint whose key must be born on its host
                throw new IllegalStateException("the agent of group " + string(execution, AGENT_GROUP)
                        + " answered no CSR for incident " + incidentId);
            }
            IssuanceStep step = csr != null
                    // the agent made the key on the endpoint's host: issue for its CSR, the key stays there
                    ? remediation.beginIssuanceForCsr(endpoint, key, fallback.orElse(null), csr)
                    : fallback.isPresent()
                            ? remediation.beginIssuanceThrough(endpoint, key, path)
                            : remediation.beginIssuance(endpoint, key);
            IssuanceSteps.apply(execution, step, incidents, now());
            if (path != null) {
                outages.issuanceSucceeded(path);
            }
        } catch (IssuanceException e) {
            throw IssuanceSteps.caFailure(execution, e, incidents);
        }
    }
}

/** Shared translation of issuance steps into variables, used by begin and poll. */
final class IssuanceSteps {

    private IssuanceSteps() {}

    static void apply(DelegateExecution execution, IssuanceStep step, IncidentLog incidents, Instant now) {
        execution.setVariable(ISSUANCE_REQUEST_ID, step.requestId());
        if (step instanceof IssuanceStep.Issued issued) {
            execution.setVariable(ISSUANCE_PENDING, false);
            execution.setVariable(CERTIFICATE_ID, issued.certificate().id());
            execution.setVariable(ISSUED_SHA256, issued.certificate().sha256());
            execution.setVariable(AUTOMATED_DEPLOYMENT, true);
            execution.setVariable(ISSUED_AT, now.toString());
            incidents.record(
                    RunbookDelegate.incidentId(execution),
                    TimelineTypes.CERTIFICATE_ISSUED,
                    Map.of(
                            "issuer",
                            issued.certificate().issuer(),
                            "sha256",
                            issued.certificate().sha256(),
                            "serial",
                            issued.certificate().serial(),
                            "notAfter",
                            String.valueOf(issued.certificate().notAfter())));
        } else if (step instanceof IssuanceStep.Pending pending) {
            execution.setVariable(ISSUANCE_PENDING, true);
            execution.setVariable(POLL_AFTER, Date.from(pending.pollAfter()));
            if (pending.awaitingAdministrator()) {
                execution.setVariable(CSR_PEM, pending.csrPem());
            }
            incidents.record(
                    RunbookDelegate.incidentId(execution),
                    TimelineTypes.ISSUANCE_PENDING,
                    Map.of("state", pending.state(), "requestId", pending.requestId()));
        }
    }

    static BpmnError caFailure(DelegateExecution execution, IssuanceException e, IncidentLog incidents) {
        execution.setVariable(CA_FAILURE_REASON, e.getClass().getSimpleName() + ": " + e.getMessage());
        execution.setVariable(CA_UNAVAILABLE, e instanceof CaUnavailableException);
        execution.setVariable(
                CA_RETRY_HINT,
                e instanceof CaUnavailableException unavailable
                        ? unavailable.retryAfter().map(Instant::toString).orElse(null)
                        : null);
        // a retry after this failure starts a fresh request instead of resuming the failed one
        execution.setVariable(ISSUE_ATTEMPTS, RunbookDelegate.intVariable(execution, ISSUE_ATTEMPTS) + 1);
        incidents.record(
                RunbookDelegate.incidentId(execution),
                TimelineTypes.CA_FAILURE,
                Map.of("type", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        return new BpmnError(RunbookErrors.CA_FAILURE, e.getMessage());
    }
}
