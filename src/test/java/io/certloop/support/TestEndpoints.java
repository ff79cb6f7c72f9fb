package io.certloop.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Inventory endpoint requests for the loopback TLS sites tests and benchmarks run. */
public final class TestEndpoints {

    private TestEndpoints() {}

    /**
     * A tier-1 production endpoint on 127.0.0.1 answering for {@code localhost}, with both owners
     * known, replaced through the internal CA into the given files and reloaded by the named action.
     * The map is mutable so a test can change one field.
     */
    public static Map<String, Object> loopback(String name, int port, Path fullchain, Path key, String reloadAction) {
        Map<String, Object> endpoint = new HashMap<>();
        endpoint.put("name", name);
        endpoint.put("host", "127.0.0.1");
        endpoint.put("port", port);
        endpoint.put("sni", "localhost");
        endpoint.put("expectedNames", List.of("localhost"));
        endpoint.put("tier", 1);
        endpoint.put("environment", "production");
        endpoint.put("serviceOwner", Map.of("team", "web", "email", "web@example.test"));
        endpoint.put("certificateOwner", Map.of("team", "pki", "email", "pki@example.test"));
        endpoint.put("replacementPath", "internal-ca");
        endpoint.put(
                "deployment",
                Map.of(
                        "type",
                        "files",
                        "fullchainPath",
                        fullchain.toString(),
                        "keyPath",
                        key.toString(),
                        "reloadAction",
                        reloadAction));
        return endpoint;
    }

    /**
     * Registers one loopback endpoint per name through the API: endpoint {@code i} is nginx's site
     * {@code sitePrefix + i}, deployed to {@code certs/site-i}, reloaded by {@code reloadAction}. Each must answer 201.
     */
    public static void registerSites(
            ApiClient client,
            List<String> names,
            NginxServer nginx,
            String sitePrefix,
            Path certs,
            String reloadAction) {
        for (int i = 0; i < names.size(); i++) {
            Path site = certs.resolve("site-" + i);
            ApiClient.Response created = client.post(
                    "/api/inventory/endpoints",
                    loopback(
                            names.get(i),
                            nginx.port(sitePrefix + i),
                            site.resolve("fullchain.pem"),
                            site.resolve("key.pem"),
                            reloadAction));
            if (created.status() != 201) {
                throw new AssertionError("registering " + names.get(i) + " answered " + created);
            }
        }
    }

    /** An endpoint nothing listens on (port 9), for runbooks that only need its record and owners. */
    public static Map<String, Object> nothingListening(String name, Path dir) {
        return loopback(name, 9, dir.resolve("fullchain.pem"), dir.resolve("key.pem"), "noop");
    }
}
