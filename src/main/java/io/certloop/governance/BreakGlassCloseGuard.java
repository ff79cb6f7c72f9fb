package io.certloop.governance;

import io.certloop.incident.CloseGuard;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** An incident whose break-glass replacement the PKI board has not reviewed yet cannot close. */
@Component
class BreakGlassCloseGuard implements CloseGuard {

    private final BreakGlassRepository repository;

    BreakGlassCloseGuard(BreakGlassRepository repository) {
        this.repository = repository;
    }

    @Override
    public Optional<String> closeBlockedBecause(String incidentId) {
        return repository.forIncident(incidentId).stream()
                .filter(b -> b.state() == BreakGlassState.APPROVED)
                .findFirst()
                .map(b -> "break-glass " + b.id() + " awaits the PKI board's review (due " + b.reviewDueAt() + ")");
    }
}
