package io.certloop.runbook;

import io.certloop.governance.BreakGlassService;
import io.certloop.governance.ExceptionService;
import io.certloop.outage.CaOutageService;
import io.certloop.rotation.RotationService;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Requesters from the exception records, break-glass request records, rotation records and, for a fallback issuer,
 * the outage record.
 */
@Component
class RequestersAdapter implements Requesters {

    private final ExceptionService exceptions;
    private final BreakGlassService breakGlass;
    private final CaOutageService outages;
    private final RotationService rotations;

    RequestersAdapter(
            ExceptionService exceptions,
            BreakGlassService breakGlass,
            CaOutageService outages,
            RotationService rotations) {
        this.exceptions = exceptions;
        this.breakGlass = breakGlass;
        this.outages = outages;
        this.rotations = rotations;
    }

    @Override
    public Optional<String> requesterOf(String processInstanceId) {
        return exceptions
                .requesterOf(processInstanceId)
                .or(() -> breakGlass.requesterOf(processInstanceId))
                .or(() -> outages.fallbackRequesterOfProcess(processInstanceId))
                .or(() -> rotations.requesterOf(processInstanceId));
    }
}
