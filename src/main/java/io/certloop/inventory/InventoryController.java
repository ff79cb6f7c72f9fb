package io.certloop.inventory;

import io.certloop.system.Page;
import io.certloop.system.Paging;
import io.certloop.system.security.Groups;
import io.certloop.system.security.RequiresGroup;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Inventory REST API. Reads for every user, writes for operators. */
@RestController
@RequestMapping("/api/inventory")
class InventoryController {

    private final InventoryService inventory;
    private final InventoryDocumentReader documents;
    private final Paging paging;

    InventoryController(InventoryService inventory, InventoryDocumentReader documents, Paging paging) {
        this.inventory = inventory;
        this.documents = documents;
        this.paging = paging;
    }

    /** By name; {@code limit} (default 100) and {@code offset} page it, a {@code Link} header names the next page. */
    @GetMapping("/endpoints")
    ResponseEntity<List<Endpoint>> list(
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset) {
        Page page = paging.of(limit, offset);
        return page.answer(inventory.list(page));
    }

    @GetMapping("/endpoints/{ref}")
    Endpoint get(@PathVariable String ref) {
        return inventory.get(ref);
    }

    @PostMapping("/endpoints")
    @RequiresGroup(Groups.OPERATORS)
    ResponseEntity<Endpoint> create(@RequestBody EndpointRequest request) {
        Endpoint created = inventory.create(request);
        return ResponseEntity.created(URI.create("/api/inventory/endpoints/" + created.id()))
                .body(created);
    }

    @PutMapping("/endpoints/{ref}")
    @RequiresGroup(Groups.OPERATORS)
    Endpoint update(@PathVariable String ref, @RequestBody EndpointRequest request) {
        return inventory.update(ref, request);
    }

    @DeleteMapping("/endpoints/{ref}")
    @RequiresGroup(Groups.OPERATORS)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String ref) {
        inventory.delete(ref);
    }

    /** The whole inventory as a YAML (or JSON) document {@code endpoints: [...]}, upserted by name. */
    @PostMapping(
            value = "/import",
            consumes = {"application/yaml", "application/x-yaml", "text/yaml", "application/json"})
    @RequiresGroup(Groups.OPERATORS)
    InventoryService.ImportResult importDocument(
            @RequestBody String document, @RequestParam(defaultValue = "false") boolean prune) {
        return inventory.importAll(documents.read(document), prune);
    }
}
