package io.certloop.deployment;

import io.certloop.system.StepBound;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * A deploy step may wait for the shared reload round already running, then runs its own, then waits for the
 * service to answer: two reload timeouts and the answer timeout.
 */
@Component
class DeploymentStepBound implements StepBound {

    private final DeploymentProperties properties;

    DeploymentStepBound(DeploymentProperties properties) {
        this.properties = properties;
    }

    @Override
    public String step() {
        return "deploy and reload (2 x certloop.deployment.reload-timeout + answer-timeout)";
    }

    @Override
    public Duration longest() {
        return properties.reloadTimeout().multipliedBy(2).plus(properties.answerTimeout());
    }
}
