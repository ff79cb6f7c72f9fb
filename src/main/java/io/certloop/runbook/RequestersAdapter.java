package io.certloop.runbook;

import io.certloop.governance.BreakGlassService;
import io.certloop.governance.ExceptionService;
import io.certloop.rotation.RotationService;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Requesters from the exception records, break-glass request records and rotation records. */
@Component
class RequestersAdapter implements Requesters {

    private final ExceptionService exceptions;
    private final BreakGlassService breakGlass;
    private final RotationService rotations;

    RequestersAdapter(ExceptionService exceptions, BreakGlassService breakGlass, RotationService rotations) {
        this.exceptions = exceptions;
        this.breakGlass = breakGlass;
        this.rotations = rotations;
    }

    @Override
    public Optional<String> requesterOf(String processInstanceId) {
        return exceptions
                .requesterOf(processInstanceId)
                .or(() -> breakGlass.requesterOf(processInstanceId))
                .or(() -> rotations.requesterOf(processInstanceId));
    }
}
