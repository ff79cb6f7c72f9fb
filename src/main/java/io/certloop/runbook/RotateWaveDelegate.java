package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * One step of a wave as one job: the record's pending endpoints of the wave rotated together on the rotation's own
 * workers (no job thread per endpoint), one reload per reload action, each endpoint recorded as it ends. A failed
 * endpoint is recorded with its own incident, never thrown (the wave's assessment decides); a retried job (a
 * restart) resumes the endpoints left in progress with the same certificates.
 */
@Component("rotateWaveDelegate")
class RotateWaveDelegate extends RunbookDelegate {

    private final RotationLog rotations;

    RotateWaveDelegate(RotationLog rotations) {
        this.rotations = rotations;
    }

    @Override
    void run(DelegateExecution execution) {
        execution.setVariable(
                WAVE_UNFINISHED, rotations.rotateWave(incidentId(execution), intVariable(execution, WAVE)));
    }
}
