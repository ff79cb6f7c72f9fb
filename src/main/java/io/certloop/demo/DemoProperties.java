package io.certloop.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded default's demo: a TLS service on loopback whose certificate is about to expire.
 *
 * @param enabled      start it (off in the {@code postgres} profile)
 * @param port         its port; a free one is taken when this one is in use
 * @param reloadAction the named reload action its inventory entry uses
 */
@ConfigurationProperties("certloop.demo")
record DemoProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("8443") int port,
        @DefaultValue("demo-noop") String reloadAction) {}
