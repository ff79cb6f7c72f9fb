package io.certloop.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Top-level settings under {@code certloop}; each feature binds its own subtree.
 *
 * @param dataDir where CertLoop keeps its state on disk: the embedded database, the master key file,
 *                deployment manifests and the demo's files. Back it up; never deploy into it.
 */
@ConfigurationProperties("certloop")
public record CertLoopProperties(@DefaultValue("./data") Path dataDir) {}
