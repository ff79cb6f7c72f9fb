package io.certloop.runbook;

import io.certloop.rotation.RotationService;
import io.certloop.rotation.RotationState;
import io.certloop.system.InvalidRequestException;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The mass-rotation runbook's log is CertLoop's own rotation record. */
@Component
class RotationLogAdapter implements RotationLog {

    private final RotationService rotations;

    RotationLogAdapter(RotationService rotations) {
        this.rotations = rotations;
    }

    @Override
    public Plan nextWave(String rotationId) {
        RotationService.WavePlan plan = rotations.nextWave(rotationId);
        return new Plan(
                plan.step().name().toLowerCase(Locale.ROOT),
                plan.wave(),
                plan.endpoints().size());
    }

    @Override
    public boolean rotateWave(String rotationId, int wave) {
        return rotations.rotateWave(rotationId, wave);
    }

    @Override
    public boolean assessWave(String rotationId, int wave) {
        return rotations.assessWave(rotationId, wave);
    }

    @Override
    public boolean decide(String rotationId, String decidedBy, boolean approve, String comment) {
        return rotations.decide(rotationId, decidedBy, approve, comment).state() == RotationState.RUNNING;
    }

    @Override
    public String resolveHalt(String rotationId, String decision, String decidedBy, String comment) {
        RotationService.HaltDecision parsed = RotationService.HaltDecision.parse(decision)
                .orElseThrow(() -> new InvalidRequestException(
                        RunbookVariables.HALT_DECISION, "must be continue, retry or abort"));
        rotations.resolveHalt(rotationId, parsed, decidedBy, comment);
        return parsed.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void finish(String rotationId) {
        rotations.finish(rotationId);
    }
}
