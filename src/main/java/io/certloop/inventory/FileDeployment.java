package io.certloop.inventory;

/**
 * Where the certificate goes on the service, in the layout certbot users know: leaf, chain,
 * leaf+chain and key, plus the name of a reload action defined in server configuration.
 */
public record FileDeployment(
        String type,
        String certificatePath,
        String chainPath,
        String fullchainPath,
        String keyPath,
        String reloadAction) {

    public static final String TYPE_FILES = "files";
}
