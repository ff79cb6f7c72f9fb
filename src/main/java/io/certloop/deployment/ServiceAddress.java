package io.certloop.deployment;

/**
 * Where the service should accept connections again after a reload. Only a TCP connect is tried:
 * the caller checks what is presented with the probe, which is the verification that counts.
 */
public record ServiceAddress(String host, int port) {

    public ServiceAddress {
        if (host == null || host.isBlank()) {
            throw new DeploymentException.InvalidRequest("service host is required");
        }
        if (port < 1 || port > 65535) {
            throw new DeploymentException.InvalidRequest("service port must be 1..65535");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
