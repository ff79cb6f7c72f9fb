package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.ChainInspection;
import io.certloop.remediation.RemediationService;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Trust mismatch step 1: the chain as the endpoint sends it now, and whether CertLoop holds that
 * certificate with its full chain and key (then redeploying it is the fix, nothing new is issued).
 */
@Component("inspectChainDelegate")
class InspectChainDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    InspectChainDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        ChainInspection inspection = remediation.inspectChain(endpointOfIncident(execution, incidents));
        execution.setVariable(CHAIN_COMPLETE, inspection.chainComplete());
        execution.setVariable(CHAIN_HELD, inspection.held());
        execution.setVariable(PRESENTED_SHA256, inspection.presentedSha256());
        execution.setVariable(PRESENTED_CHAIN, String.join("\n", inspection.presentedChain()));
        execution.setVariable(PROBE_SUMMARY, inspection.summary());
        execution.setVariable(PROBE_FINDINGS, String.join(",", inspection.findingCodes()));
        if (inspection.held()) {
            // redeploying the held certificate: the fingerprint to verify is the one presented now
            execution.setVariable(CERTIFICATE_ID, inspection.heldCertificateId());
            execution.setVariable(ISSUED_SHA256, inspection.presentedSha256());
            execution.setVariable(AUTOMATED_DEPLOYMENT, true);
        }
        Map<String, Object> detail = new HashMap<>();
        detail.put("reachable", inspection.reachable());
        detail.put("chainComplete", inspection.chainComplete());
        detail.put("trusted", inspection.trusted());
        detail.put("presentedChain", inspection.presentedChain());
        detail.put("held", inspection.held());
        detail.put("heldReason", inspection.heldReason());
        detail.put("findings", inspection.findingCodes());
        incidents.record(incidentId(execution), TimelineTypes.CHAIN_INSPECTED, detail);
    }
}
