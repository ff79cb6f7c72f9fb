package io.certloop.inventory;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param importPath a YAML inventory ({@code endpoints: [...]}) upserted by name at start; empty = none
 */
@ConfigurationProperties("certloop.inventory")
record InventoryProperties(Path importPath) {}
