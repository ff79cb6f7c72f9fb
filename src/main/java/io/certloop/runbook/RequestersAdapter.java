package io.certloop.runbook;

import io.certloop.governance.BreakGlassService;
import io.certloop.governance.ExceptionService;
import io.certloop.outage.CaOutageService;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Requesters from the exception records (and, for break-glass, its request records; for a fallback issuer, the outage record). */
@Component
class RequestersAdapter implements Requesters {

    private final ExceptionService exceptions;
    private final BreakGlassService breakGlass;
    private final CaOutageService outages;

    RequestersAdapter(ExceptionService exceptions, BreakGlassService breakGlass, CaOutageService outages) {
        this.exceptions = exceptions;
        this.breakGlass = breakGlass;
        this.outages = outages;
    }

    @Override
    public Optional<String> requesterOf(String processInstanceId) {
        return exceptions
                .requesterOf(processInstanceId)
                .or(() -> breakGlass.requesterOf(processInstanceId))
                .or(() -> outages.fallbackRequesterOfProcess(processInstanceId));
    }
}
