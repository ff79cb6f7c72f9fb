package io.certloop.inventory;

/** Tells whether a reload action name is defined in server configuration. */
public interface ReloadActionCatalog {

    boolean exists(String name);
}
