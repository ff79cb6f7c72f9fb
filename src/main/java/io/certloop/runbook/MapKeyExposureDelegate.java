package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.remediation.KeyExposure;
import io.certloop.remediation.RemediationService;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Where the key is in use: the key, every certificate CertLoop's CA issued for it, every inventory endpoint
 * presenting it (key compromise step 1; revocation propagation maps its verifier population from the latest probes,
 * {@link MapVerifierPopulationDelegate}).
 */
@Component("mapKeyExposureDelegate")
class MapKeyExposureDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    MapKeyExposureDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        KeyExposure exposure = remediation.keyExposure(endpointOfIncident(execution, incidents));
        execution.setVariable(COMPROMISED_KEY_ID, exposure.keyId());
        execution.setVariable(PRESENTED_SHA256, exposure.presentedSha256());
        execution.setVariable(COMPROMISED_SERIALS, RunbookLists.join(exposure.serials()));
        execution.setVariable(AFFECTED_ENDPOINTS, RunbookLists.join(exposure.endpoints()));
        execution.setVariable(REPLACEMENT_ORDER, RunbookLists.join(exposure.endpoints()));
        execution.setVariable(ENDPOINTS_NEEDING_HANDS, "");
        Map<String, Object> detail = new HashMap<>();
        detail.put("keyId", String.valueOf(exposure.keyId()));
        detail.put("presentedSha256", String.valueOf(exposure.presentedSha256()));
        detail.put("serials", exposure.serials());
        detail.put("endpoints", exposure.endpoints());
        detail.put("summary", exposure.summary());
        incidents.record(incidentId(execution), TimelineTypes.KEY_EXPOSURE_MAPPED, detail);
    }
}
