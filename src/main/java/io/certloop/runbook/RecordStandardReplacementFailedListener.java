package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.incident.TimelineTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * The standard replacement of a break-glass's emergency certificate failed (the CA, the reload or the live
 * verification): the incident's timeline says so with the evidence when the incident commanders' task opens,
 * so the failure is never silent while the emergency certificate runs towards its expiry.
 */
@Component("recordStandardReplacementFailedListener")
class RecordStandardReplacementFailedListener implements TaskListener {

    private final IncidentLog incidents;
    private final BreakGlassLog breakGlass;

    RecordStandardReplacementFailedListener(IncidentLog incidents, BreakGlassLog breakGlass) {
        this.incidents = incidents;
        this.breakGlass = breakGlass;
    }

    @Override
    public void notify(DelegateTask task) {
        BreakGlassLog.About about = breakGlass.about(task.getProcessInstanceId());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("breakGlassId", about.id());
        detail.put("emergencySha256", String.valueOf(about.emergencySha256()));
        detail.put("caFailureReason", String.valueOf(task.getVariable(CA_FAILURE_REASON)));
        detail.put("deploymentOutcome", String.valueOf(task.getVariable(DEPLOYMENT_OUTCOME)));
        detail.put("verificationSummary", String.valueOf(task.getVariable(VERIFICATION_SUMMARY)));
        incidents.record(about.incidentId(), TimelineTypes.BREAK_GLASS_STANDARD_REPLACEMENT_FAILED, detail);
    }
}
