package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import io.certloop.governance.ExceptionProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * On completing {@code reviewException}: records the board's decision on the exception record as the
 * authenticated user, in the completing transaction, and hands the process what the record now says (its
 * state, its expiry and when to remind). Runs after {@link FourEyesListener}; the record checks four eyes
 * again. A wrong field refuses the completion (400 over REST) and the task stays open.
 */
@Component("recordExceptionDecisionListener")
class RecordExceptionDecisionListener implements TaskListener {

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
        boolean approve = RecordedDecisions.approves(task, EXCEPTION_DECISION);
        ExceptionLog.Decided decided = RecordedDecisions.recorded(() -> exceptions.decide(
                task.getExecution().getProcessBusinessKey(),
                FourEyesListener.decider(task),
                approve,
                RecordedDecisions.text(task, DECISION_COMMENT),
                RecordedDecisions.text(task, APPROVED_EXPIRES_AT)));
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
