package io.certloop.deployment;

import java.nio.file.Path;
import java.util.List;

/**
 * Puts a certificate and its key where a service reads them, makes the service reload, and can
 * undo that. This is the port the runbooks use; {@code files} is the first adapter, others (a
 * load balancer API, a Kubernetes secret) can follow behind the same contract and conformance
 * tests.
 */
public interface Deployer {

    /** The adapter's name as used in inventory, e.g. {@code files}. */
    String kind();

    /**
     * Deploys and reloads. Safe to repeat with the same idempotency key and content.
     *
     * @throws DeploymentException.UnknownReloadAction before touching any file
     * @throws DeploymentException.InvalidRequest before touching any file
     * @throws DeploymentException.Conflict if the key was used for different content
     * @throws DeploymentException.Storage if the files could not be written
     */
    DeploymentResult deploy(DeploymentRequest request);

    /**
     * Restores the files the deployment replaced, then reloads again. Safe to repeat.
     *
     * @throws DeploymentException.NotFound if the deployment is unknown
     * @throws DeploymentException.Conflict if the files changed since that deployment, or it was released
     * @throws DeploymentException.Storage if the files could not be restored
     */
    DeploymentResult rollback(String deploymentId);

    /**
     * Makes a verified deployment final: deletes what it kept for a rollback (the previous private key among
     * it), so that a replaced key does not linger next to the live one. Kept content that a later deployment
     * has since replaced is not touched. Safe to repeat; a rollback is refused afterwards.
     *
     * @return the kept files that were deleted
     * @throws DeploymentException.NotFound if the deployment is unknown
     * @throws DeploymentException.Storage if a kept file could not be deleted
     */
    List<Path> release(String deploymentId);
}
