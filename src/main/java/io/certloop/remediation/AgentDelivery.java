package io.certloop.remediation;

/**
 * What the agent of an endpoint's group writes on its host: the inventory's target and the issued certificate.
 * Public data only; the key is the one the agent made for the CSR and kept.
 */
public record AgentDelivery(
        String group,
        String certificatePath,
        String chainPath,
        String fullchainPath,
        String keyPath,
        String reloadAction,
        String leafPem,
        String chainPem,
        String answerHost,
        int answerPort,
        String sha256) {}
