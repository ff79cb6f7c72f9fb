package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * On completing {@code reviewBreakGlass}: the PKI board's answers go on the break-glass record and the incident's
 * timeline under the authenticated reviewer; from then on the incident may close.
 */
@Component("recordBreakGlassReviewListener")
class RecordBreakGlassReviewListener implements TaskListener {

    static final String[] REVIEW_FIELDS = {WHY_NORMAL_PATH_FAILED, EMERGENCY_PROFILE_HELD, OPERATING_CHANGES};

    private final BreakGlassLog breakGlass;

    RecordBreakGlassReviewListener(BreakGlassLog breakGlass) {
        this.breakGlass = breakGlass;
    }

    @Override
    public void notify(DelegateTask task) {
        String reviewer = FourEyesListener.decider(task);
        if (reviewer == null) {
            throw new AuthorizationException("a break-glass review needs an authenticated reviewer");
        }
        Map<String, Object> review = new LinkedHashMap<>();
        for (String field : REVIEW_FIELDS) {
            Object value = task.getVariable(field);
            if (value == null || value.toString().isBlank()) {
                throw new FormFieldValidationException(field, field + ": is required");
            }
            review.put(field, value.toString());
        }
        breakGlass.reviewed(task.getProcessInstanceId(), reviewer, review);
        // a runbook waiting to close the incident checks again
        RunbookMessages.tell(
                task.getProcessEngineServices(),
                RunbookMessages.BREAK_GLASS_REVIEWED,
                task.getExecution().getProcessBusinessKey());
    }
}
