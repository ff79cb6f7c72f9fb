package io.certloop.rotation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param approvalThreshold      a rotation over more endpoints than this waits for an approver (four eyes)
 * @param canarySize             endpoints in the canary wave, rotated before any other
 * @param defaultWaveSize        endpoints per wave when the request names none
 * @param defaultMaxFailureRate  the failure rate (0..1) of a wave above which the rotation halts, when the request
 *                               names none; the canary halts on any failure
 */
@ConfigurationProperties("certloop.rotation")
public record RotationProperties(
        @DefaultValue("50") int approvalThreshold,
        @DefaultValue("2") int canarySize,
        @DefaultValue("50") int defaultWaveSize,
        @DefaultValue("0.1") double defaultMaxFailureRate) {}
