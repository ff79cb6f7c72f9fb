package io.certloop.governance;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxDuration  the longest an exception may last, from the request (ISO-8601, default P90D)
 * @param remindBefore how long before expiry the requester and the service owner are reminded (default P14D)
 */
@ConfigurationProperties("certloop.exceptions")
public record ExceptionProperties(
        @DefaultValue("P90D") Duration maxDuration,
        @DefaultValue("P14D") Duration remindBefore) {}
