package io.certloop.runbook;

import io.certloop.incident.TimelineTypes;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.remediation.RemediationService;
import io.certloop.remediation.Verification;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * On completing an investigation task: a fresh probe must show the expected certificate, or the
 * completion is refused (the command rolls back and the task stays open). "I fixed it" is not evidence.
 */
@Component("requireLiveVerificationListener")
class RequireLiveVerificationListener implements TaskListener {

    private final RemediationService remediation;
    private final IncidentLog incidents;

    RequireLiveVerificationListener(RemediationService remediation, IncidentLog incidents) {
        this.remediation = remediation;
        this.incidents = incidents;
    }

    @Override
    public void notify(DelegateTask task) {
        String endpoint = (String) task.getVariable(ENDPOINT);
        String expected = (String) task.getVariable(ISSUED_SHA256);
        Verification verification = remediation.verify(endpoint, expected);
        incidents.record(task.getExecution().getProcessBusinessKey(), TimelineTypes.INVESTIGATION_VERIFIED,
                Map.of("passed", verification.passed(), "summary", verification.summary()));
        if (!verification.passed()) {
            throw new ProcessEngineException("The live endpoint does not present the expected certificate yet: "
                    + verification.summary());
        }
        task.setVariable(VERIFIED, true);
        task.setVariable(VERIFICATION_SUMMARY, verification.summary());
    }
}
