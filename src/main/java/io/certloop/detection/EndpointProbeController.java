package io.certloop.detection;

import io.certloop.inventory.Endpoint;
import io.certloop.inventory.InventoryService;
import io.certloop.issuance.RenewalWindow;
import io.certloop.issuance.RenewalWindows;
import io.certloop.probe.ProbeReport;
import io.certloop.system.NotFoundException;
import io.certloop.system.Page;
import io.certloop.system.Paging;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import java.util.List;
import org.springframework.http.ResponseEntity;
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
    private final Paging paging;
    private final RenewalWindows renewalWindows;

    EndpointProbeController(
            InventoryService inventory, EndpointProbeService probes, Paging paging, RenewalWindows renewalWindows) {
        this.inventory = inventory;
        this.probes = probes;
        this.paging = paging;
        this.renewalWindows = renewalWindows;
    }

    @PostMapping("/probe")
    @RequiresGroup(Groups.OPERATORS)
    ProbeReport probe(@PathVariable String ref) {
        Endpoint endpoint = inventory.get(ref);
        return probes.probe(endpoint);
    }

    /** Newest first; {@code limit} (default 20) and {@code offset} page it, a {@code Link} header names the next page. */
    @GetMapping("/probes")
    ResponseEntity<List<ProbeHistoryRepository.Entry>> history(
            @PathVariable String ref,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Integer offset) {
        Page page = paging.of(limit, offset, 20);
        Endpoint endpoint = inventory.get(ref);
        return page.answer(probes.history(endpoint.id(), page));
    }

    /**
     * The renewal window the CA suggests (RFC 9773) for the certificate the endpoint presented at its latest probe,
     * as the detection loop last stored it: start, end, the chosen point, the CA's explanation, when it was asked.
     * 404 when that certificate has none (not issued through ACME, or the CA offers no renewal information).
     */
    @GetMapping("/renewal-window")
    RenewalWindow renewalWindow(@PathVariable String ref) {
        Endpoint endpoint = inventory.get(ref);
        return probes.lastProbe(endpoint.id())
                .flatMap(last -> renewalWindows.stored(last.leafSha256()))
                .orElseThrow(() -> new NotFoundException(
                        "no renewal window known for the certificate endpoint " + endpoint.name() + " presents"));
    }
}
