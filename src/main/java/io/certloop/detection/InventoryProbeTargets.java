package io.certloop.detection;

import io.certloop.inventory.InventoryService;
import io.certloop.probe.guard.InventoryTargets;
import java.util.List;
import org.springframework.stereotype.Component;

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

    @Override
    public List<String> registeredAddresses(String host, int port) {
        return inventory.findByTarget(host, port).stream()
                .flatMap(endpoint -> endpoint.addresses().stream())
                .distinct()
                .toList();
    }
}
