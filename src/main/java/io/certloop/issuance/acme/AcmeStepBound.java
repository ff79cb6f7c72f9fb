package io.certloop.issuance.acme;

import io.certloop.system.StepBound;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * A begin or poll step makes at most a few ACME calls (order, authorizations, challenge, finalize or download),
 * each bounded by the request timeout. Zero when no ACME directory is configured.
 */
@Component
class AcmeStepBound implements StepBound {

    /** ACME calls one begin or poll step makes at most. */
    static final int CALLS_PER_STEP = 4;

    private final AcmeProperties properties;

    AcmeStepBound(AcmeProperties properties) {
        this.properties = properties;
    }

    @Override
    public String step() {
        return "ACME issuance (" + CALLS_PER_STEP + " x certloop.issuance.acme.request-timeout)";
    }

    @Override
    public Duration longest() {
        if (properties.directoryUrl() == null || properties.directoryUrl().isBlank()) {
            return Duration.ZERO;
        }
        return properties.requestTimeout().multipliedBy(CALLS_PER_STEP);
    }
}
