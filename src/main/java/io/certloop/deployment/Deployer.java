package io.certloop.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

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

    /** One request of {@link #deployTogether}: its result, or why it could not be deployed (nothing else failed). */
    record Deployed(DeploymentRequest request, DeploymentResult result, DeploymentException refused) {}

    /**
     * Deploys many at once (a wave of a mass rotation): every request's files are written, then each distinct
     * reload action runs once for all the requests it serves, instead of once per request. A request that is
     * refused (invalid, a conflict, a storage failure) is its own failure; the others go on. The answers are in
     * the order of the requests. {@code writers} may write files concurrently. This default deploys one after
     * another; adapters that share a reload between deployments do better.
     */
    default List<Deployed> deployTogether(List<DeploymentRequest> requests, Executor writers) {
        List<Deployed> answers = new ArrayList<>();
        for (DeploymentRequest request : requests) {
            try {
                answers.add(new Deployed(request, deploy(request), null));
            } catch (DeploymentException e) {
                answers.add(new Deployed(request, null, e));
            }
        }
        return answers;
    }

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
