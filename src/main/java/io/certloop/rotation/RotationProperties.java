package io.certloop.rotation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param approvalThreshold      a rotation over more endpoints than this waits for an approver (four eyes)
 * @param canarySize             endpoints in the canary wave, rotated before any other
 * @param defaultWaveSize        endpoints per wave when the request names none
 * @param defaultMaxFailureRate  the failure rate (0..1) of a wave above which the rotation halts, when the request
 *                               names none; the canary halts on any failure
 * @param parallelism            threads that rotate the endpoints of a wave (probe, issue, write, verify); each
 *                               takes a database connection for its short transactions
 * @param waveStep               how long one step of a wave keeps starting endpoints; a larger wave goes on in
 *                               the next step (the job lock must outlast a step: {@link RotationStepBound})
 */
@ConfigurationProperties("certloop.rotation")
public record RotationProperties(
        @DefaultValue("50") int approvalThreshold,
        @DefaultValue("2") int canarySize,
        @DefaultValue("50") int defaultWaveSize,
        @DefaultValue("0.1") double defaultMaxFailureRate,
        @DefaultValue("8") int parallelism,
        @DefaultValue("PT30S") Duration waveStep) {

    public RotationProperties {
        if (parallelism < 1) {
            throw new IllegalArgumentException("certloop.rotation.parallelism must be at least 1");
        }
        if (waveStep.isNegative() || waveStep.isZero()) {
            throw new IllegalArgumentException("certloop.rotation.wave-step must be positive");
        }
    }
}
