package io.certloop.runbook;

import io.certloop.governance.BreakGlassService;
import io.certloop.governance.ExceptionService;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Requesters from the exception records (and, for break-glass, its request records). */
@Component
class RequestersAdapter implements Requesters {

    private final ExceptionService exceptions;
    private final BreakGlassService breakGlass;

    RequestersAdapter(ExceptionService exceptions, BreakGlassService breakGlass) {
        this.exceptions = exceptions;
        this.breakGlass = breakGlass;
    }

    @Override
    public Optional<String> requesterOf(String processInstanceId) {
        return exceptions.requesterOf(processInstanceId).or(() -> breakGlass.requesterOf(processInstanceId));
    }
}
