package io.certloop.issuance.acme;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certloop.issuance.acme.renewal-info.*}: whether the detection loop asks the ACME CA for renewal information
 * (RFC 9773) about the certificates CertLoop issued through it, and how often. The CA's Retry-After decides when to
 * ask again, within {@code min-interval} and {@code max-interval}; {@code interval} applies when it sends none,
 * {@code retry-interval} after a failed question.
 *
 * @param enabled        ask at all (a CA without renewalInfo in its directory is never asked either way)
 * @param interval       the next question when the CA names no Retry-After
 * @param minInterval    never ask sooner than this, whatever the CA says
 * @param maxInterval    never wait longer than this, whatever the CA says
 * @param retryInterval  the next question after one failed (CA unreachable, error, unusable answer)
 */
@ConfigurationProperties("certloop.issuance.acme.renewal-info")
record AcmeRenewalInfoProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("6h") Duration interval,
        @DefaultValue("1m") Duration minInterval,
        @DefaultValue("1d") Duration maxInterval,
        @DefaultValue("1h") Duration retryInterval) {

    AcmeRenewalInfoProperties {
        interval = interval == null ? Duration.ofHours(6) : interval;
        minInterval = minInterval == null ? Duration.ofMinutes(1) : minInterval;
        maxInterval = maxInterval == null ? Duration.ofDays(1) : maxInterval;
        retryInterval = retryInterval == null ? Duration.ofHours(1) : retryInterval;
    }
}
