package io.certloop.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Imports the inventory file named by {@code certloop.inventory.import-path} at start, so an estate
 * kept as code is what the server runs with. A broken file stops the start with the reason.
 */
@Component
class InventoryStartupImport {

    private static final Logger log = LoggerFactory.getLogger(InventoryStartupImport.class);

    private final InventoryService inventory;
    private final InventoryDocumentReader documents;
    private final Path importPath;

    InventoryStartupImport(
            InventoryService inventory, InventoryDocumentReader documents, InventoryProperties properties) {
        this.inventory = inventory;
        this.documents = documents;
        this.importPath = properties.importPath();
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    void importAtStart() throws IOException {
        if (importPath == null || importPath.toString().isBlank()) {
            return;
        }
        Path path = importPath;
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("certloop.inventory.import-path names no file: " + path.toAbsolutePath());
        }
        try {
            InventoryService.ImportResult result = inventory.importAll(documents.read(Files.readString(path)), false);
            log.info("Imported inventory from {}: {}", path, result);
        } catch (io.certloop.system.InvalidRequestException e) {
            throw new IllegalStateException("Inventory file " + path + " is invalid: " + e.getMessage(), e);
        }
    }
}
