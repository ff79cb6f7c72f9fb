package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import io.certloop.issuance.IssuanceRejectedException;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.remediation.RemediationService;
import java.util.Map;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Validates the certificate an administrator submitted (key, names, chain, validity). A refusal
 * goes back to the administrator with the reason.
 */
@Component("acceptAdministratorCertificateDelegate")
class AcceptAdministratorCertificateDelegate extends RunbookDelegate {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    AcceptAdministratorCertificateDelegate(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    void run(DelegateExecution execution) {
        try {
            IssuedCertificate issued = remediation.submitAdministratorCertificate(
                    string(execution, ISSUANCE_REQUEST_ID), string(execution, CERTIFICATE_PEM));
            execution.setVariable(CERTIFICATE_ID, issued.id());
            execution.setVariable(ISSUED_SHA256, issued.sha256());
            execution.setVariable(AUTOMATED_DEPLOYMENT, true);
            execution.setVariable(REFUSAL_REASON, null);
            execution.setVariable(ISSUED_AT, now().toString());
            incidents.record(
                    incidentId(execution),
                    TimelineTypes.CERTIFICATE_ACCEPTED,
                    Map.of("sha256", issued.sha256(), "serial", issued.serial()));
        } catch (IssuanceRejectedException e) {
            execution.setVariable(REFUSAL_REASON, e.getMessage());
            incidents.record(
                    incidentId(execution),
                    TimelineTypes.CERTIFICATE_REFUSED,
                    Map.of("reason", String.valueOf(e.getMessage())));
            throw new BpmnError(RunbookErrors.CERTIFICATE_REFUSED, e.getMessage());
        }
    }
}
