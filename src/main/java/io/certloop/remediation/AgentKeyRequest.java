package io.certloop.remediation;

import java.util.List;

/** What an endpoint's agent needs to make the key and CSR for its next certificate. */
public record AgentKeyRequest(List<String> names, String keyType) {}
