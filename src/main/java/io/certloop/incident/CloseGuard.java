package io.certloop.incident;

import java.util.Optional;

/**
 * Something that must happen before an incident may close, owned by another feature (the PKI board's review of
 * a break-glass replacement). A port, so incidents do not know those features.
 */
public interface CloseGuard {

    /** Why the incident may not close yet; empty when this guard has no objection. */
    Optional<String> closeBlockedBecause(String incidentId);
}
