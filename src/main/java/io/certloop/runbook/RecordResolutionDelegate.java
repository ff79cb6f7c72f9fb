package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.RemediationService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The loop is closed: the inventory expects the verified fingerprint and the incident is resolved. The
 * deployment is released: what it kept for a rollback (the old private key among it) is deleted. This step
 * runs in its own transaction after the verification was stored, and a release repeats safely.
 */
@Component("recordResolutionDelegate")
class RecordResolutionDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;
    private final RunbookRecords records;

    RecordResolutionDelegate(RemediationService remediation, IncidentLog incidents, RunbookRecords records) {
        this.remediation = remediation;
        this.incidents = incidents;
        this.records = records;
    }

    @Override
    void run(DelegateExecution execution) {
        String incidentId = incidentId(execution);
        String sha256 = records.certificate(
                        incidentId,
                        string(execution, DECLARED_SHA256),
                        string(execution, CERTIFICATE_ID),
                        string(execution, ISSUED_SHA256))
                .sha256();
        remediation.expect(records.endpoint(incidentId), sha256);
        String verifiedAt = now().toString();
        execution.setVariable(VERIFIED_AT, verifiedAt);
        execution.setVariable(
                TIME_SPENT,
                timeSpent(
                        string(execution, OPENED_AT),
                        string(execution, ISSUED_AT),
                        string(execution, DEPLOYED_AT),
                        verifiedAt));
        String deploymentId = (String) execution.getVariable(DEPLOYMENT_ID);
        boolean onHost = string(execution, AGENT_GROUP) != null;
        // on an agent's host the agent deletes what it kept, in its release task after this step
        execution.setVariable(AGENT_RELEASE_ID, onHost ? deploymentId : null);
        if (deploymentId != null && !onHost) {
            List<Path> deleted = remediation.release(deploymentId);
            incidents.record(
                    incidentId(execution),
                    TimelineTypes.DEPLOYMENT_RELEASED,
                    Map.of(
                            "deploymentId",
                            deploymentId,
                            "keptFilesDeleted",
                            deleted.stream().map(Path::toString).toList()));
        }
        incidents.resolved(incidentId(execution), "live endpoint verified presenting " + sha256);
    }

    /** "Where did the time go", measured: opened to issued, issued to deployed, deployed to verified. */
    static String timeSpent(String openedAt, String issuedAt, String deployedAt, String verifiedAt) {
        StringBuilder text = new StringBuilder("Measured by the runbook: ");
        text.append("issuance ").append(between(openedAt, issuedAt));
        text.append(", deployment ").append(between(issuedAt, deployedAt));
        text.append(", verification ").append(between(deployedAt != null ? deployedAt : issuedAt, verifiedAt));
        text.append(", alert to verified ")
                .append(between(openedAt, verifiedAt))
                .append('.');
        return text.toString();
    }

    private static String between(String from, String to) {
        if (from == null || to == null) {
            return "n/a";
        }
        java.time.Duration duration =
                java.time.Duration.between(java.time.Instant.parse(from), java.time.Instant.parse(to));
        return duration.toMillis() < 10_000 ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
    }
}
