package io.certloop.inventory;

import java.util.Optional;

/** Tells whether deployments may write a path: inside the server's allowed directories, outside its data directory. */
public interface DeploymentPathRules {

    /** Why a deployment may not write the absolute, normalized {@code path}; empty when it may. */
    Optional<String> refusal(String path);
}
