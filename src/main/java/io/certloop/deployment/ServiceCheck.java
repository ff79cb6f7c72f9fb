package io.certloop.deployment;

import java.time.Duration;

/**
 * Whether the service accepted a TCP connection after the reload, and how long that took. This
 * says "it is up", not "it serves the new certificate"; the probe says the latter.
 */
public record ServiceCheck(ServiceAddress address, boolean answered, Duration waited, int attempts, String lastError) {}
