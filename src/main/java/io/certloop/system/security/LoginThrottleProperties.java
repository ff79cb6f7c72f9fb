package io.certloop.system.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Login throttling per client address ({@link LoginThrottle}); per user, the engine's {@code loginDelay*} settings.
 *
 * @param freeFailures failures from one address before it has to wait
 * @param delayBase the first wait; each further failure doubles it
 * @param delayMax the longest wait: a throttle, never a lock
 * @param forgetAfter failures older than this no longer count
 */
@ConfigurationProperties("certloop.security.login")
public record LoginThrottleProperties(
        @DefaultValue("5") int freeFailures,
        @DefaultValue("1s") Duration delayBase,
        @DefaultValue("60s") Duration delayMax,
        @DefaultValue("15m") Duration forgetAfter) {

    public LoginThrottleProperties {
        if (freeFailures < 0
                || delayBase.isNegative()
                || delayBase.isZero()
                || delayMax.compareTo(delayBase) < 0
                || forgetAfter.isNegative()) {
            throw new IllegalArgumentException(
                    "certloop.security.login: free-failures >= 0, 0 < delay-base <= delay-max");
        }
    }
}
