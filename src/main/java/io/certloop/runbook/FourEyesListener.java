package io.certloop.runbook;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Four eyes on a governance decision: whoever requested it can never be assigned the task nor complete it,
 * whatever groups they hold, by Tasklist, the engine REST API or the Java API. Registered on
 * {@code assignment} and {@code complete}; a refusal throws, the command rolls back, the task stays open.
 * The requester comes from CertLoop's record of the request, never from a process variable, and a
 * completion without an authenticated user is refused too (nobody could tell who decided).
 * {@link AuthorizationException} makes the engine REST API answer 403 with the message.
 */
@Component("fourEyesListener")
class FourEyesListener implements TaskListener {

    private static final Logger log = LoggerFactory.getLogger(FourEyesListener.class);

    private final Requesters requesters;

    FourEyesListener(Requesters requesters) {
        this.requesters = requesters;
    }

    @Override
    public void notify(DelegateTask task) {
        String requester = requesters
                .requesterOf(task.getProcessInstanceId())
                .orElseThrow(() -> refuse(
                        task,
                        "four eyes: no record says who requested this; the decision cannot be checked and is refused"));
        String event = task.getEventName();
        if (EVENTNAME_ASSIGNMENT.equals(event)) {
            if (requester.equals(task.getAssignee())) {
                throw refuse(task, "four eyes: " + requester + " requested this and cannot be assigned its decision");
            }
            return;
        }
        if (EVENTNAME_COMPLETE.equals(event)) {
            String decider = decider(task);
            if (decider == null) {
                throw refuse(task, "four eyes: a decision needs an authenticated user");
            }
            if (requester.equals(decider) || requester.equals(task.getAssignee())) {
                throw refuse(
                        task,
                        "four eyes: " + requester + " requested this and cannot decide it;"
                                + " another authorised person must");
            }
        }
    }

    /** The user completing the task, as the engine authenticated them. */
    static String decider(DelegateTask task) {
        Authentication authentication =
                task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        return authentication == null ? null : authentication.getUserId();
    }

    private static AuthorizationException refuse(DelegateTask task, String message) {
        log.warn(
                "Refused {} of task {} ({}) in process instance {}: {}",
                task.getEventName(),
                task.getId(),
                task.getTaskDefinitionKey(),
                task.getProcessInstanceId(),
                message);
        return new AuthorizationException(message);
    }
}
