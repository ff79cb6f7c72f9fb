package io.certloop.deployment;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a service reads its certificate, in the layout certbot made familiar: leaf alone, chain
 * alone, leaf followed by chain, and the private key. A service usually reads only some of them
 * (nginx: fullchain and key); the key and at least one certificate file are required. The reload
 * action is a name from server configuration, never a command.
 */
public record DeploymentTarget(
        Path certificatePath, Path chainPath, Path fullchainPath, Path keyPath, String reloadAction) {

    /** The nginx layout: leaf + chain in one file, and the key. */
    public static DeploymentTarget fullchainAndKey(Path fullchainPath, Path keyPath, String reloadAction) {
        return new DeploymentTarget(null, null, fullchainPath, keyPath, reloadAction);
    }

    Optional<Path> certificate() {
        return Optional.ofNullable(certificatePath);
    }

    Optional<Path> chain() {
        return Optional.ofNullable(chainPath);
    }

    Optional<Path> fullchain() {
        return Optional.ofNullable(fullchainPath);
    }
}
