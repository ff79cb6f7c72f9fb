package io.certloop.runbook;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/** The end of the rotation on its record: completed, or aborted as a commander decided. */
@Component("finishRotationDelegate")
class FinishRotationDelegate extends RunbookDelegate {

    private final RotationLog rotations;

    FinishRotationDelegate(RotationLog rotations) {
        this.rotations = rotations;
    }

    @Override
    void run(DelegateExecution execution) {
        rotations.finish(incidentId(execution));
    }
}
