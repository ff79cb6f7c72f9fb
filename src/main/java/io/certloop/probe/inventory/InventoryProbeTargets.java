package io.certloop.probe.inventory;

import org.springframework.stereotype.Component;

import io.certloop.inventory.InventoryService;
import io.certloop.probe.InventoryTargets;

/** Inventory endpoints are always allowed probe targets (metadata and link-local addresses still are not). */
@Component
class InventoryProbeTargets implements InventoryTargets {

    private final InventoryService inventory;

    InventoryProbeTargets(InventoryService inventory) {
        this.inventory = inventory;
    }

    @Override
    public boolean isInventoryEndpoint(String host, int port) {
        return !inventory.findByTarget(host, port).isEmpty();
    }
}
