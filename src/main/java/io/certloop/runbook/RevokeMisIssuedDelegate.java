package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.issuance.RevocationReason;
import io.certloop.remediation.RemediationService;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * After the compliant replacement is verified live: the mis-issued certificate is revoked (reason superseded)
 * when CertLoop's internal CA issued it; another CA's certificate is left to that CA, which the timeline says.
 */
@Component("revokeMisIssuedDelegate")
class RevokeMisIssuedDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    RevokeMisIssuedDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        String serial = string(execution, MIS_ISSUED_SERIAL);
        if (serial == null || serial.isEmpty()) {
            incidents.record(
                    incidentId(execution),
                    TimelineTypes.MIS_ISSUED_NOT_REVOKED,
                    Map.of(
                            "reason",
                            "another CA issued it: ask that CA to revoke " + string(execution, PRESENTED_SHA256)));
            return;
        }
        remediation.revokeInternal(List.of(serial), RevocationReason.SUPERSEDED);
        incidents.record(
                incidentId(execution),
                TimelineTypes.CERTIFICATES_REVOKED,
                Map.of("serials", List.of(serial), "reason", "superseded", "by", "internal CA"));
    }
}
