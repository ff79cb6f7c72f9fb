package io.certloop.inventory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the certificate goes on the service, in the layout certbot users know: leaf, chain,
 * leaf+chain and key, plus the name of a reload action. Type {@code files}: this server writes the files, and the
 * reload action is one of its configuration. Type {@code agent}: the agent of {@code agentGroup} on the service's
 * host generates the key there, writes the files and runs a reload action of its own configuration; the key never
 * reaches the server.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileDeployment(
        String type,
        String certificatePath,
        String chainPath,
        String fullchainPath,
        String keyPath,
        String reloadAction,
        String agentGroup) {

    public static final String TYPE_FILES = "files";
    public static final String TYPE_AGENT = "agent";

    @JsonCreator
    public FileDeployment {}

    public FileDeployment(
            String type,
            String certificatePath,
            String chainPath,
            String fullchainPath,
            String keyPath,
            String reloadAction) {
        this(type, certificatePath, chainPath, fullchainPath, keyPath, reloadAction, null);
    }

    /** Whether an agent on the service's host deploys (and holds the key), not this server. */
    public boolean throughAgent() {
        return TYPE_AGENT.equals(type);
    }
}
