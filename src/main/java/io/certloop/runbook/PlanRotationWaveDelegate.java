package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Asks the rotation record what comes next: the lowest wave with pending endpoints ({@code rotate}), a wait while a
 * person paused the rotation ({@code paused}), or the end ({@code done}: nothing pending, aborted or rejected).
 */
@Component("planRotationWaveDelegate")
class PlanRotationWaveDelegate extends RunbookDelegate {

    private final RotationLog rotations;

    PlanRotationWaveDelegate(RotationLog rotations) {
        this.rotations = rotations;
    }

    @Override
    void run(DelegateExecution execution) {
        RotationLog.Plan plan = rotations.nextWave(incidentId(execution));
        execution.setVariable(WAVE_STEP, plan.step());
        execution.setVariable(WAVE, plan.wave());
    }
}
