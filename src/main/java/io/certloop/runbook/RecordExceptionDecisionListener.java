package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.governance.ExceptionProperties;
import io.certloop.system.ConflictException;
import io.certloop.system.FieldError;
import io.certloop.system.ForbiddenException;
import io.certloop.system.InvalidRequestException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * On completing {@code reviewException}: records the board's decision on the exception record as the
 * authenticated user, in the completing transaction, and hands the process what the record now says (its
 * state, its expiry and when to remind). Runs after {@link FourEyesListener}; the record checks four eyes
 * again. A wrong field refuses the completion (400 over REST) and the task stays open.
 */
@Component("recordExceptionDecisionListener")
class RecordExceptionDecisionListener implements TaskListener {

    static final String APPROVE = "approve";
    static final String REJECT = "reject";

    private final ExceptionLog exceptions;
    private final ExceptionProperties properties;
    private final Clock clock;

    RecordExceptionDecisionListener(ExceptionLog exceptions, ExceptionProperties properties, Clock clock) {
        this.exceptions = exceptions;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void notify(DelegateTask task) {
        Object decision = task.getVariable(EXCEPTION_DECISION);
        if (!APPROVE.equals(decision) && !REJECT.equals(decision)) {
            throw new FormFieldValidationException(
                    EXCEPTION_DECISION, EXCEPTION_DECISION + ": must be approve or reject");
        }
        Object comment = task.getVariable(DECISION_COMMENT);
        Object shortened = task.getVariable(APPROVED_EXPIRES_AT);
        ExceptionLog.Decided decided;
        try {
            decided = exceptions.decide(
                    task.getExecution().getProcessBusinessKey(),
                    FourEyesListener.decider(task),
                    APPROVE.equals(decision),
                    comment == null ? null : comment.toString(),
                    shortened == null ? null : shortened.toString());
        } catch (ForbiddenException e) {
            throw new AuthorizationException(e.getMessage());
        } catch (InvalidRequestException e) {
            FieldError first = e.errors().get(0);
            throw new FormFieldValidationException(first.field(), e.getMessage());
        } catch (ConflictException e) {
            throw new ProcessEngineException(e.getMessage(), e);
        }
        task.setVariable(EXCEPTION_STATE, decided.state());
        if (decided.active()) {
            // the reminder goes out remind-before ahead of expiry, at once for an exception shorter than that
            Instant now = clock.instant();
            Instant remindAt = decided.expiresAt().minus(properties.remindBefore());
            task.setVariable(EXPIRES_AT, Date.from(decided.expiresAt()));
            task.setVariable(REMIND_AT, Date.from(remindAt.isBefore(now) ? now : remindAt));
        }
    }
}
