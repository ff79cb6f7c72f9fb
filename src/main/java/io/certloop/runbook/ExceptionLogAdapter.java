package io.certloop.runbook;

import io.certloop.governance.ExceptionRecord;
import io.certloop.governance.ExceptionService;
import java.util.List;
import org.springframework.stereotype.Component;

/** The exception-review runbook's log is CertLoop's own exception record and its decision history. */
@Component
class ExceptionLogAdapter implements ExceptionLog {

    private final ExceptionService exceptions;

    ExceptionLogAdapter(ExceptionService exceptions) {
        this.exceptions = exceptions;
    }

    @Override
    public About about(String exceptionId) {
        ExceptionRecord record = exceptions.get(exceptionId);
        return new About(
                record.endpoint(),
                record.findingCode(),
                record.requestedBy(),
                record.reason(),
                record.compensatingControls());
    }

    @Override
    public Decided decide(
            String exceptionId, String decidedBy, boolean approve, String comment, String approvedExpiresAt) {
        ExceptionRecord decided = exceptions.decide(exceptionId, decidedBy, approve, comment, approvedExpiresAt);
        return new Decided(decided.state().value(), decided.expiresAt());
    }

    @Override
    public String expire(String exceptionId) {
        return exceptions.expire(exceptionId).state().value();
    }

    @Override
    public String standing(String exceptionId) {
        return exceptions.standing(exceptionId).value();
    }

    @Override
    public void reminded(String exceptionId, List<String> recipients) {
        exceptions.reminded(exceptionId, recipients);
    }
}
