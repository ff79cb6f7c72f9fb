package io.certloop.probe.guard;

/**
 * Tells the probe guard whether a host and port is a registered inventory endpoint (always an
 * allowed target). Supplied by the caller so the probe capability does not depend on inventory.
 */
@FunctionalInterface
public interface InventoryTargets {

    boolean isInventoryEndpoint(String host, int port);

    /** No inventory: only the allowlist decides. */
    static InventoryTargets none() {
        return (host, port) -> false;
    }
}
