package io.certloop.rotation;

import io.certloop.remediation.RemediationService;
import io.certloop.system.StepBound;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * One step of a wave is one job: it starts endpoints (a probe and the issuance) for {@code wave-step}; the last one
 * started may still be issuing (an ACME order); then the files are written and reloaded once (a deploy step's bound)
 * and the endpoints are verified for {@code verify-within}. Its bound is the wave step plus every other step's bound
 * (issuance, deployment, and mail, which a wave does not need: a little more than enough) plus the verification.
 */
@Component
class RotationStepBound implements StepBound {

    private final RotationProperties properties;
    private final RemediationService remediation;
    private final List<StepBound> others;

    RotationStepBound(RotationProperties properties, RemediationService remediation, List<StepBound> others) {
        this.properties = properties;
        this.remediation = remediation;
        this.others = others.stream().filter(b -> b != this).toList();
    }

    @Override
    public String step() {
        return "a wave of a mass rotation (certloop.rotation.wave-step + the other steps' bounds"
                + " + certloop.remediation.verify-within)";
    }

    @Override
    public Duration longest() {
        Duration longest = properties.waveStep().plus(remediation.verifyWithin());
        for (StepBound other : others) {
            longest = longest.plus(other.longest());
        }
        return longest;
    }
}
