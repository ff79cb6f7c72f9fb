package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import java.util.List;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.MessageCorrelationBuilder;
import org.camunda.bpm.engine.runtime.MessageCorrelationResult;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * The runbooks waiting on an issuer's ca-outage, woken by message: every instance whose {@code waitingOnIssuer} is
 * the issuer (and, for the fallback, whose profile names one), in the caller's transaction. They stop waiting on
 * the issuer; the answer is the incidents (business keys) that moved.
 */
final class WaitingRunbooks {

    private WaitingRunbooks() {}

    static List<String> wake(RuntimeService runtime, String message, String issuer, boolean onlyWithFallback) {
        MessageCorrelationBuilder correlation =
                runtime.createMessageCorrelation(message).processInstanceVariableEquals(WAITING_ON_ISSUER, issuer);
        if (onlyWithFallback) {
            correlation = correlation.processInstanceVariableEquals(FALLBACK_AVAILABLE, true);
        }
        return correlation.setVariable(WAITING_ON_ISSUER, null).correlateAllWithResult().stream()
                .map(MessageCorrelationResult::getProcessInstance)
                .map(ProcessInstance::getBusinessKey)
                .toList();
    }
}
