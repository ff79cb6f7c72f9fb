package io.certloop.runbook;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The endpoints of the wave, read from the rotation record when the wave starts:
 * {@code camunda:collection="${rotationWaves.pending(execution)}"}. A wave of a thousand names never passes through a
 * process variable.
 */
@Component("rotationWaves")
public class RotationWaves {

    private final RotationLog rotations;

    RotationWaves(RotationLog rotations) {
        this.rotations = rotations;
    }

    public List<String> pending(DelegateExecution execution) {
        Object wave = execution.getVariable(RunbookVariables.WAVE);
        return rotations.pendingOf(execution.getProcessBusinessKey(), wave instanceof Number n ? n.intValue() : 0);
    }
}
