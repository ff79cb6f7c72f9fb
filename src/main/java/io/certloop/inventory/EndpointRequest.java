package io.certloop.inventory;

import java.util.List;

/**
 * An endpoint as a client sends it (JSON or YAML). Loosely typed on purpose: the validator turns
 * every problem into a message that names the field, instead of a parser error.
 */
public record EndpointRequest(
        String name,
        String host,
        Integer port,
        String sni,
        List<String> addresses,
        List<String> expectedNames,
        Integer tier,
        String environment,
        OwnerRequest serviceOwner,
        OwnerRequest certificateOwner,
        String replacementPath,
        String profile,
        DeploymentRequest deployment,
        String expectedSha256,
        List<String> partnerContacts) {

    public record OwnerRequest(String team, String email) {}

    public record DeploymentRequest(
            String type,
            String certificatePath,
            String chainPath,
            String fullchainPath,
            String keyPath,
            String reloadAction,
            String agentGroup) {

        @com.fasterxml.jackson.annotation.JsonCreator
        public DeploymentRequest {}

        public DeploymentRequest(
                String type,
                String certificatePath,
                String chainPath,
                String fullchainPath,
                String keyPath,
                String reloadAction) {
            this(type, certificatePath, chainPath, fullchainPath, keyPath, reloadAction, null);
        }
    }
}
