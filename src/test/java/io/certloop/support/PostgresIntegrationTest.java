package io.certloop.support;

import io.certloop.CertLoopApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for integration tests of the whole server on the real PostgreSQL, with the production
 * ({@code postgres}) profile. All subclasses share one Spring context: keep its configuration here.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = CertLoopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
public abstract class PostgresIntegrationTest {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "it-admin-password";

    private static final Path ROOT = createRoot();
    /** CertLoop's data directory: deployments are refused there, whatever is allowed. */
    private static final Path DATA_DIR = createDirectory(ROOT.resolve("data"));
    /** The one directory deployments of these tests may write in ({@code certloop.deployment.allowed-directories}). */
    private static final Path DEPLOY_DIR = createDirectory(ROOT.resolve("deploy"));
    /** nginx instances of these tests live here; the reload action {@code test-nginx} points at it. */
    public static final Path NGINX_PREFIX = ROOT.resolve("nginx");
    /**
     * The names the {@code standard} profile may issue for in these tests: {@code localhost}, the reserved
     * {@code test} domain (and its subdomains) and the loopback address.
     */
    public static final String STANDARD_DOMAINS = "localhost,test,127.0.0.1";

    @LocalServerPort
    protected int port;

    protected ApiClient admin;
    protected ApiClient anonymous;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PostgresTestDatabase::url);
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
        registry.add("spring.datasource.password", () -> PostgresTestDatabase.PASSWORD);
        registry.add("certloop.admin.password", () -> ADMIN_PASSWORD);
        registry.add("certloop.data-dir", DATA_DIR::toString);
        registry.add("certloop.deployment.allowed-directories", DEPLOY_DIR::toString);
        registry.add("certloop.issuance.profiles.standard.allowed-domains", () -> STANDARD_DOMAINS);
        registry.add("certloop.deployment.reload-actions.noop", () -> "/bin/true");
        registry.add(
                "certloop.deployment.reload-actions.test-nginx",
                () -> String.join(
                        " ",
                        NginxServer.DEFAULT_BINARY.toString(),
                        "-p",
                        NGINX_PREFIX + "/",
                        "-c",
                        NGINX_PREFIX.resolve("conf/nginx.conf").toString(),
                        "-e",
                        NGINX_PREFIX.resolve("logs/error.log").toString(),
                        "-s",
                        "reload"));
        registry.add("certloop.deployment.reload-actions.fail", () -> "/bin/false");
        // a reload that prints far more than any record holds (OverlongFieldsIT)
        registry.add("certloop.deployment.reload-actions.noisy", () -> "/usr/bin/head -c 100000 /dev/zero");
        registry.add("certloop.probe.allowlist", () -> "127.0.0.0/8");
        // tests drive detection themselves; a scheduled cycle would open incidents on other tests' endpoints
        registry.add("certloop.probe.detection.enabled", () -> "false");
        // through a relay a test can stop, so "the CA is down" needs no pebble restart (which would lose its state)
        registry.add(
                "certloop.issuance.acme.directory-url",
                () -> pebble() == null
                        ? ""
                        : PebbleServer.directoryUrl(pebbleDoor().port()));
        registry.add(
                "certloop.issuance.acme.trusted-ca-file",
                () -> pebble() == null ? "" : pebble().caFile().toString());
        registry.add("certloop.probe.trust.extra-roots", () -> pebble() == null ? "" : PEBBLE_ROOT.toString());
        registry.add("certloop.remediation.verify-within", () -> "PT3S");
        // an issuer counts as down after 3 failures a second apart and is asked again every 2 s (CaOutageEndToEndIT)
        registry.add("certloop.issuance.outage.retry-after", () -> "PT1S");
        registry.add("certloop.issuance.outage.health-check-interval", () -> "PT2S");
        // login throttling with short waits (LoginThrottlingIT): failed logins never block other tests for long
        registry.add("certloop.security.login.delay-max", () -> "PT2S");
        registry.add("certloop.security.login.forget-after", () -> "PT3S");
        registry.add("camunda.bpm.generic-properties.properties.loginDelayMaxTime", () -> "2");
    }

    private static final Path PEBBLE_ROOT = ROOT.resolve("pebble-root.pem");
    private static PebbleServer pebble;
    private static boolean pebbleTried;
    private static TcpRelay pebbleDoor;

    /**
     * What CertLoop reaches pebble through: {@link TcpRelay#refuse()} makes the ACME CA refuse connections (down),
     * {@link TcpRelay#accept()} brings it back with its accounts and root intact. Null without pebble.
     */
    protected static synchronized TcpRelay pebbleDoor() {
        if (pebbleDoor == null && pebble() != null) {
            pebbleDoor = TcpRelay.to(pebble().port());
        }
        return pebbleDoor;
    }

    /**
     * One pebble (ACME test server, accepting every challenge) for the shared context, started on
     * first use; null when Debian's pebble is not installed. Its issuing root is trusted by the probe.
     */
    protected static synchronized PebbleServer pebble() {
        if (!pebbleTried) {
            pebbleTried = true;
            if (Files.isExecutable(Path.of("/usr/bin/pebble"))) {
                pebble = PebbleServer.startAlwaysValid();
                Runtime.getRuntime().addShutdownHook(new Thread(pebble::close));
                try {
                    Files.writeString(PEBBLE_ROOT, pebble.issuingRootPem());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return pebble;
    }

    @BeforeEach
    void clients() {
        admin = ApiClient.as(port, ADMIN, ADMIN_PASSWORD);
        anonymous = ApiClient.anonymous(port);
    }

    /** CertLoop's data directory (deployments are refused there). */
    protected static Path dataDir() {
        return DATA_DIR;
    }

    /** Where tests put the files they let CertLoop deploy: the allowed directory. */
    protected static Path deployDir() {
        return DEPLOY_DIR;
    }

    private static Path createRoot() {
        try {
            return Files.createTempDirectory("certloop-it");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path createDirectory(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
