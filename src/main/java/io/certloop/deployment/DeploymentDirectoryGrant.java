package io.certloop.deployment;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A directory CertLoop's own code lets deployments write to besides {@code certloop.deployment.allowed-directories}:
 * the embedded demo's service files, which live in the data directory. Configuration can never grant this; a bean
 * of this type can, and no grant may contain the data directory itself.
 *
 * @param directory the directory whose files (not itself) deployments may write
 * @param why       what the grant is for, for the log and refusals
 */
public record DeploymentDirectoryGrant(Path directory, String why) {

    public DeploymentDirectoryGrant {
        Objects.requireNonNull(directory, "directory");
        directory = directory.toAbsolutePath().normalize();
    }
}
