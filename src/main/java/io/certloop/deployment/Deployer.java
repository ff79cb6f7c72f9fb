package io.certloop.deployment;

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
     * @throws DeploymentException.Conflict if the files changed since that deployment
     * @throws DeploymentException.Storage if the files could not be restored
     */
    DeploymentResult rollback(String deploymentId);
}
