package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.MisIssuance;
import io.certloop.remediation.RemediationService;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** Mis-issuance step 1: the certificate presented now, what is wrong with it, and whether CertLoop's CA issued it. */
@Component("inspectMisIssuanceDelegate")
class InspectMisIssuanceDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    InspectMisIssuanceDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        MisIssuance misIssuance = remediation.misIssuance(endpointOfIncident(execution, incidents));
        execution.setVariable(PRESENTED_SHA256, misIssuance.presentedSha256());
        execution.setVariable(
                MIS_ISSUED_SERIAL, misIssuance.internalSerial() == null ? "" : misIssuance.internalSerial());
        execution.setVariable(PROBE_SUMMARY, misIssuance.summary());
        execution.setVariable(PROBE_FINDINGS, String.join(",", misIssuance.findingCodes()));
        Map<String, Object> detail = new HashMap<>();
        detail.put("presentedSha256", String.valueOf(misIssuance.presentedSha256()));
        detail.put("issuer", String.valueOf(misIssuance.issuer()));
        detail.put("issuedByCertLoop", misIssuance.internalSerial() != null);
        detail.put("findings", misIssuance.findingCodes());
        detail.put("summary", misIssuance.summary());
        incidents.record(incidentId(execution), TimelineTypes.MIS_ISSUANCE_IDENTIFIED, detail);
    }
}
