package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** After a wave: the record says whether its failures halt the rotation (the canary halts on any). */
@Component("assessRotationWaveDelegate")
class AssessRotationWaveDelegate extends RunbookDelegate {

    private final RotationLog rotations;

    AssessRotationWaveDelegate(RotationLog rotations) {
        this.rotations = rotations;
    }

    @Override
    void run(DelegateExecution execution) {
        execution.setVariable(WAVE_HALTED, rotations.assessWave(incidentId(execution), intVariable(execution, WAVE)));
    }
}
