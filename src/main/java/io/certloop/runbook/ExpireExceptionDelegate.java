package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.EXCEPTION_STATE;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * At the exception's expiry: the record ends it (state expired); the next detection cycle opens incidents again. A
 * revocation the board committed just before the timer fired (its message found no one waiting) is what the record
 * says instead: the gateway after this step tells owners and board of the revocation, not of an expiry.
 */
@Component("expireExceptionDelegate")
class ExpireExceptionDelegate extends RunbookDelegate {

    private final ExceptionLog exceptions;

    ExpireExceptionDelegate(ExceptionLog exceptions) {
        this.exceptions = exceptions;
    }

    @Override
    void run(DelegateExecution execution) {
        execution.setVariable(EXCEPTION_STATE, exceptions.expire(execution.getProcessBusinessKey()));
    }
}
