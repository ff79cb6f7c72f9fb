package io.certloop.issuance.acme;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certloop.issuance.acme.*}: the ACME directory (https URL, or an acme4j {@code acme://}
 * URI), the account contact, a CA file to trust for a private ACME server (step-ca, pebble), and
 * the timeouts that keep every call bounded.
 */
@ConfigurationProperties("certloop.issuance.acme")
record AcmeProperties(
        String directoryUrl,
        String accountEmail,
        Path trustedCaFile,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("15s") Duration requestTimeout) {

    AcmeProperties {
        pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(15) : requestTimeout;
    }
}
