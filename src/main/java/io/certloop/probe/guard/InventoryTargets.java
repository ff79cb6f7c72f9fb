package io.certloop.probe.guard;

import java.util.List;

/**
 * Tells the probe guard whether a host and port is a registered inventory endpoint (always an
 * allowed target) and which backend addresses the inventory records for it. Supplied by the caller
 * so the probe capability does not depend on inventory.
 */
@FunctionalInterface
public interface InventoryTargets {

    boolean isInventoryEndpoint(String host, int port);

    /**
     * The backend addresses (IP literals) the inventory registers for this host and port; an
     * operator put them there, so a probe of the endpoint may reach them without the allowlist.
     */
    default List<String> registeredAddresses(String host, int port) {
        return List.of();
    }

    /** No inventory: only the allowlist decides. */
    static InventoryTargets none() {
        return (host, port) -> false;
    }
}
