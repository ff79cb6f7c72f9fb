package io.certloop.detection;

import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.probe.ProbeReport;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Probe an inventory endpoint now, and read its probe history (the evidence). */
@RestController
@RequestMapping("/api/inventory/endpoints/{ref}")
class EndpointProbeController {

    private final InventoryService inventory;
    private final EndpointProbeService probes;

    EndpointProbeController(InventoryService inventory, EndpointProbeService probes) {
        this.inventory = inventory;
        this.probes = probes;
    }

    @PostMapping("/probe")
    @RequiresGroup(Groups.OPERATORS)
    ProbeReport probe(@PathVariable String ref) {
        Endpoint endpoint = inventory.get(ref);
        return probes.probe(endpoint);
    }

    /** Newest first; {@code limit} at most 500. */
    @GetMapping("/probes")
    List<ProbeHistoryRepository.Entry> history(@PathVariable String ref, @RequestParam(defaultValue = "20") int limit) {
        Endpoint endpoint = inventory.get(ref);
        return probes.history(endpoint.id(), Math.max(1, Math.min(limit, 500)));
    }
}
