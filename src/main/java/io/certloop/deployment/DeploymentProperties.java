package io.certloop.deployment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server-side configuration of deployment. Reload actions live here and only here, so that no API
 * call, inventory entry or process variable can introduce a command line: they can only name one.
 *
 * @param reloadActions name → command line, split on whitespace and run without a shell
 * @param reloadTimeout how long a reload action may run before its process tree is killed
 * @param answerTimeout how long to wait for the service to accept TCP connections after a reload
 * @param maxOutputBytes how much of a reload action's combined stdout/stderr is kept as evidence
 * @param stateDirectory where deployment manifests (paths and hashes, never key bytes) are kept
 * @param reloadPath the PATH given to reload actions; their environment is otherwise empty
 * @param allowedDirectories the only directories deployments may write in (absolute; empty: file deployment is off,
 *     the embedded demo's own directory aside); CertLoop's data directory is refused even when listed
 */
@ConfigurationProperties("certloop.deployment")
record DeploymentProperties(
        Map<String, String> reloadActions,
        @DefaultValue("30s") Duration reloadTimeout,
        @DefaultValue("10s") Duration answerTimeout,
        @DefaultValue("16384") int maxOutputBytes,
        @DefaultValue("data/deployments") Path stateDirectory,

        @DefaultValue("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        String reloadPath,

        @DefaultValue List<Path> allowedDirectories) {

    DeploymentProperties {
        reloadActions = reloadActions == null ? Map.of() : Map.copyOf(reloadActions);
        allowedDirectories = allowedDirectories == null ? List.of() : List.copyOf(allowedDirectories);
        for (Path directory : allowedDirectories) {
            if (!directory.isAbsolute()) {
                throw new IllegalArgumentException(
                        "certloop.deployment.allowed-directories must list absolute directories, was " + directory);
            }
        }
        if (reloadTimeout.isNegative() || reloadTimeout.isZero()) {
            throw new IllegalArgumentException("certloop.deployment.reload-timeout must be positive");
        }
        if (answerTimeout.isNegative()) {
            throw new IllegalArgumentException("certloop.deployment.answer-timeout must not be negative");
        }
        if (maxOutputBytes < 256) {
            throw new IllegalArgumentException("certloop.deployment.max-output-bytes must be at least 256");
        }
    }
}
