package io.certloop.runbook;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** At the exception's expiry: the record ends it (state expired); the next detection cycle opens incidents again. */
@Component("expireExceptionDelegate")
class ExpireExceptionDelegate extends RunbookDelegate {

    private final ExceptionLog exceptions;

    ExpireExceptionDelegate(ExceptionLog exceptions) {
        this.exceptions = exceptions;
    }

    @Override
    void run(DelegateExecution execution) {
        exceptions.expire(execution.getProcessBusinessKey());
    }
}
