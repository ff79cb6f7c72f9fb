package io.certloop.demo;

import io.certloop.custody.KeyCustody;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.EndpointRequest;
import io.certloop.inventory.InventoryService;
import io.certloop.issuance.IssueRequest;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.issuance.ca.InternalCaIssuer;
import io.certloop.system.CertLoopProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The demo a newcomer can watch: a TLS service on loopback presenting a certificate about to
 * expire, registered in the inventory with the internal CA as its replacement path. The detection
 * loop finds it, an expiry incident opens, the runbook heals it, and the review waits in Tasklist.
 * On by default in the embedded configuration, off with {@code certloop.demo.enabled=false} and in
 * the {@code postgres} profile.
 */
@Component
@ConditionalOnProperty(name = "certloop.demo.enabled", havingValue = "true", matchIfMissing = true)
class DemoSetup {

    static final String ENDPOINT = "demo-web";
    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

    private final InventoryService inventory;
    private final InternalCaIssuer internalCa;
    private final KeyCustody custody;
    private final Path directory;
    private final int port;
    private final String reloadAction;
    private DemoTlsService service;

    DemoSetup(
            InventoryService inventory,
            InternalCaIssuer internalCa,
            KeyCustody custody,
            CertLoopProperties certloop,
            DemoProperties demo) {
        this.inventory = inventory;
        this.internalCa = internalCa;
        this.custody = custody;
        this.directory = DemoDirectory.of(certloop);
        this.port = demo.port();
        this.reloadAction = demo.reloadAction();
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(10)
    void start() throws IOException {
        Path fullchain = directory.resolve("fullchain.pem");
        Path key = directory.resolve("key.pem");
        if (!Files.exists(fullchain) || !Files.exists(key)) {
            Files.createDirectories(directory);
            IssuedCertificate initial = internalCa.issue(IssueRequest.of(
                    ENDPOINT, List.of("localhost"), "demo-short-lived", "demo-initial-" + UUID.randomUUID()));
            Path temp = directory.resolve("key.pem.new-" + UUID.randomUUID());
            custody.writePrivateKeyPem(initial.keyId(), temp);
            Files.move(temp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(fullchain, initial.fullChainPem());
            log.info(
                    "Demo: issued a certificate for {} valid until {} (about to expire, on purpose)",
                    ENDPOINT,
                    initial.notAfter());
        }
        try {
            service = DemoTlsService.start(fullchain, key, port);
        } catch (java.net.BindException taken) {
            log.warn("Demo: port {} is taken; the demo service uses a free port instead", port);
            service = DemoTlsService.start(fullchain, key, 0);
        }
        Optional<Endpoint> registered = inventory.findByName(ENDPOINT);
        EndpointRequest request = new EndpointRequest(
                ENDPOINT,
                "127.0.0.1",
                service.port(),
                "localhost",
                List.of(),
                List.of("localhost"),
                1,
                "production",
                new EndpointRequest.OwnerRequest("demo-shop", "shop-team@example.test"),
                new EndpointRequest.OwnerRequest("demo-pki", "pki-team@example.test"),
                "internal-ca",
                "standard",
                new EndpointRequest.DeploymentRequest(
                        "files", null, null, fullchain.toString(), key.toString(), reloadAction),
                registered.map(Endpoint::expectedSha256).orElse(null),
                null);
        if (registered.isPresent()) {
            inventory.update(ENDPOINT, request);
        } else {
            inventory.create(request);
        }
        log.info(
                "Demo: TLS service for inventory endpoint {} listens on https://localhost:{}/ ; the detection loop "
                        + "will open an expiry incident for it shortly (watch Cockpit and Tasklist)",
                ENDPOINT,
                service.port());
    }

    @PreDestroy
    void stop() throws IOException {
        if (service != null) {
            service.close();
        }
    }
}
