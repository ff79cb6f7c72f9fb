package io.certloop.runbook;

import static io.certloop.runbook.RunbookVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * One endpoint of a wave, as its own job: issue, deploy, reload and verify live through the endpoint's replacement
 * path. The record skips an endpoint already verified or failed (a retried job, a restart) and one whose rotation
 * is paused; a failure is recorded with its own incident, never thrown (the wave's assessment decides).
 */
@Component("rotateEndpointDelegate")
class RotateEndpointDelegate extends RunbookDelegate {

    private final RotationLog rotations;

    RotateEndpointDelegate(RotationLog rotations) {
        this.rotations = rotations;
    }

    @Override
    void run(DelegateExecution execution) {
        rotations.rotate(incidentId(execution), string(execution, ROTATION_ENDPOINT));
    }
}
