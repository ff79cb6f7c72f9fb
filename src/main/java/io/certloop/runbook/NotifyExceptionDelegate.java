package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Tells the requester, the owners and (when it ends) the PKI board where an exception stands. The kind
 * comes from the task's input parameter {@code notificationKind}: exception-approved, exception-rejected,
 * exception-reminder, exception-expired, exception-revoked. A reminder is written on the exception's history.
 *
 * <p>After an approval and before a reminder the step reads the record's state (under its lock) for the gateway
 * that follows: the process waits for a revocation only while the record says active, and a revocation the board
 * commits while this step runs waits for it, then finds the process waiting. No reminder goes out for an exception
 * that is no longer active.
 */
@Component("notifyExceptionDelegate")
class NotifyExceptionDelegate extends RunbookDelegate {

    static final String APPROVED = "exception-approved";
    static final String REJECTED = "exception-rejected";
    static final String REMINDER = "exception-reminder";
    static final String EXPIRED = "exception-expired";
    static final String REVOKED = "exception-revoked";
    private static final String ACTIVE = "active";

    private final GovernanceNotifications notifications;
    private final ExceptionLog exceptions;

    NotifyExceptionDelegate(GovernanceNotifications notifications, ExceptionLog exceptions) {
        this.notifications = notifications;
        this.exceptions = exceptions;
    }

    @Override
    void run(DelegateExecution execution) {
        String kind = string(execution, NOTIFICATION_KIND);
        String id = execution.getProcessBusinessKey();
        if (APPROVED.equals(kind) || REMINDER.equals(kind)) {
            // the gateway after this step routes on the record, read under its lock (see above)
            String standing = exceptions.standing(id);
            execution.setVariable(EXCEPTION_STATE, standing);
            if (REMINDER.equals(kind) && !ACTIVE.equals(standing)) {
                return;
            }
        }
        // what, where and who asked come from the exception record, never from variables
        ExceptionLog.About about = exceptions.about(id);
        String endpoint = about.endpoint();
        String finding = about.findingCode();
        String what = finding + " on " + endpoint;
        String subject = "[" + id + "] "
                + switch (kind) {
                    case APPROVED -> "Exception approved: " + what + " until " + string(execution, EXPIRES_AT);
                    case REJECTED -> "Exception rejected: " + what;
                    case REMINDER -> "Exception expires " + string(execution, EXPIRES_AT) + ": " + what;
                    case EXPIRED -> "Exception expired: " + what + " opens incidents again";
                    case REVOKED -> "Exception revoked: " + what + " opens incidents again";
                    default -> throw new IllegalArgumentException("unknown exception notification kind " + kind);
                };
        String body = "Exception " + id + " for finding " + finding + " on endpoint " + endpoint + "\n"
                + "Requested by: " + about.requestedBy() + "\n"
                + "Reason: " + about.reason() + "\n"
                + "Compensating controls: " + about.compensatingControls() + "\n"
                + (execution.getVariable(DECISION_COMMENT) == null
                        ? ""
                        : "Board's comment: " + string(execution, DECISION_COMMENT) + "\n")
                + (REMINDER.equals(kind)
                        ? "To keep it, request a new exception (it shows this decision to the board),"
                                + " or fix the finding before it expires.\n"
                        : "");
        GovernanceNotifications.Audience audience = switch (kind) {
            case REJECTED -> GovernanceNotifications.Audience.REQUESTER;
            case REMINDER -> GovernanceNotifications.Audience.SERVICE_OWNER;
            case APPROVED -> GovernanceNotifications.Audience.OWNERS;
            default -> GovernanceNotifications.Audience.OWNERS_AND_BOARD;
        };
        List<String> recipients = notifications.send(id, endpoint, about.requestedBy(), audience, kind, subject, body);
        if (REMINDER.equals(kind)) {
            exceptions.reminded(id, recipients);
        }
    }
}
