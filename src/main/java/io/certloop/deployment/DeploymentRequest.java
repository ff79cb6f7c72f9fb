package io.certloop.deployment;

import java.util.Objects;

/**
 * One deployment: where, what, and a key that makes retries safe. The idempotency key becomes the
 * deployment id; sending the same key again with the same content repeats the deployment without
 * changing anything already in place, and with different content is refused.
 *
 * @param idempotencyKey letters, digits, '.', '_' or '-'; e.g. the process instance id plus a step
 * @param target the files and the reload action name
 * @param certificate leaf and chain
 * @param key called to write the private key into the key file; never stored by the deployer
 * @param answerAt where the service should answer after the reload; {@code null} skips the wait
 */
public record DeploymentRequest(
        String idempotencyKey,
        DeploymentTarget target,
        CertificateMaterial certificate,
        KeyMaterialSource key,
        ServiceAddress answerAt) {

    public DeploymentRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "DeploymentRequest[" + idempotencyKey + ", " + target + ", " + certificate + ", answerAt=" + answerAt
                + "]";
    }
}
