package io.certloop.deployment;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Supplies the private key at the moment it is written, straight into the key file's stream, so
 * that the deployer never holds it in a field, a result, a log line or any file but the key file.
 * Key custody implements this (decrypting into the stream); the deployer may call it more than
 * once for a retried deployment and expects the same PEM each time.
 */
@FunctionalInterface
public interface KeyMaterialSource {

    /** Writes the PEM-encoded private key (PKCS#8 or the algorithm's traditional form) to {@code out}. */
    void writePrivateKeyPem(OutputStream out) throws IOException;
}
