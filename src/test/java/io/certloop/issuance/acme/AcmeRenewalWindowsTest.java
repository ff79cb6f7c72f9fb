package io.certloop.issuance.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.certloop.custody.CustodyFixtures;
import io.certloop.custody.KeyCustody;
import io.certloop.custody.KeySpec;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuanceRequestStore;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.issuance.RenewalWindow;
import io.certloop.issuance.RenewalWindows;
import io.certloop.support.MutableClock;
import io.certloop.support.RenewalInfoDirectory;
import io.certloop.support.TestCertificates;
import io.certloop.support.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Renewal information through acme4j against a small ACME directory served in the test (plain HTTP on loopback):
 * what is asked, when, and what is kept when the CA has none, fails, or points elsewhere.
 */
class AcmeRenewalWindowsTest {

    private static final Duration CYCLE = Duration.ofMinutes(5);

    private final JdbcTemplate jdbc = TestDatabase.migrated();
    private final MutableClock clock =
            new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final KeyCustody custody = CustodyFixtures.custody(jdbc, clock);
    private final IssuedCertificateStore certificates = new IssuedCertificateStore(jdbc, clock);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final TestCertificates.Issued ca =
            TestCertificates.rootCa("ARI Test CA").selfSigned();
    private final TestCertificates.Issued leaf =
            TestCertificates.leaf("svc.example.test").sans("svc.example.test").signedBy(ca);
    private HttpServer server;
    private HttpServer elsewhere;
    private volatile int status = 200;
    private volatile String window;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (elsewhere != null) {
            elsewhere.stop(0);
        }
    }

    @Test
    void aDirectoryWithoutRenewalInfoIsNeverAskedForIt() throws IOException {
        AcmeRenewalWindows windows = windows(false);
        IssuedCertificate issued = issued();

        assertThat(windows.check(issued.sha256(), CYCLE)).isEmpty();
        assertThat(windows.check(issued.sha256(), CYCLE)).isEmpty();

        assertThat(requests).as("one directory read, no renewal-info request").containsExactly("/dir");
        assertThat(jdbc.queryForObject("SELECT state FROM acme_renewal_info", String.class))
                .isEqualTo("NOT_OFFERED");
    }

    @Test
    void theWindowIsKeptAndTheCaIsAskedAgainOnlyAfterItsRetryAfter() throws IOException {
        Instant start = clock.instant().minus(Duration.ofHours(1));
        Instant end = clock.instant().plus(Duration.ofDays(2));
        serve(start, end, "https://ca.example.test/incident-42");
        AcmeRenewalWindows windows = windows(true);
        IssuedCertificate issued = issued();

        RenewalWindow first = windows.check(issued.sha256(), CYCLE).orElseThrow();
        int asked = requests.size();

        assertThat(first.start()).isEqualTo(start);
        assertThat(first.end()).isEqualTo(end);
        assertThat(first.explanationUrl()).isEqualTo("https://ca.example.test/incident-42");
        assertThat(first.renewAt()).isAfterOrEqualTo(start).isBefore(end.minus(CYCLE));
        assertThat(first.certificateId()).isEqualTo(issued.id());
        assertThat(renewalInfoRequests())
                .as("RFC 9773 identifier: base64url(AKI key id) '.' base64url(serial DER)")
                .containsExactly("/renewal-info/" + RenewalInfoDirectory.uniqueId(leaf.certificate()));
        assertThat(windows.stored(issued.sha256())).contains(first);

        clock.advance(Duration.ofMinutes(50));
        assertThat(windows.check(issued.sha256(), CYCLE)).contains(first);
        assertThat(requests).as("Retry-After (1 h) not yet passed: not asked").hasSize(asked);

        Instant movedStart = clock.instant().minus(Duration.ofDays(1));
        serve(movedStart, clock.instant().minus(Duration.ofHours(1)), null);
        clock.advance(Duration.ofMinutes(11));
        RenewalWindow moved = windows.check(issued.sha256(), CYCLE).orElseThrow();
        assertThat(renewalInfoRequests()).hasSize(2);
        assertThat(moved.start()).isEqualTo(movedStart);
        assertThat(moved.due(clock.instant())).isTrue();
        assertThat(moved.overdue(clock.instant())).isTrue();
        assertThat(moved.explanationUrl()).isNull();
    }

    @Test
    void aFailingCaIsRememberedWithAFixedReasonAndAskedAgainLater() throws IOException {
        Instant start = clock.instant().plus(Duration.ofDays(30));
        serve(start, start.plus(Duration.ofDays(2)), null);
        AcmeRenewalWindows windows = windows(true);
        IssuedCertificate issued = issued();
        RenewalWindow known = windows.check(issued.sha256(), CYCLE).orElseThrow();

        status = 503;
        clock.advance(Duration.ofHours(2));
        assertThat(windows.check(issued.sha256(), CYCLE))
                .as("the failure breaks nothing; the last window known still counts")
                .get()
                .extracting(RenewalWindow::start, RenewalWindow::failure)
                .containsExactly(known.start(), RenewalWindows.CA_ERROR);
        int asked = requests.size();
        clock.advance(Duration.ofMinutes(30));
        windows.check(issued.sha256(), CYCLE);
        assertThat(requests).as("within the retry interval: not asked").hasSize(asked);

        status = 200;
        clock.advance(Duration.ofMinutes(31));
        assertThat(windows.check(issued.sha256(), CYCLE))
                .get()
                .extracting(RenewalWindow::failure)
                .isNull();
        assertThat(jdbc.queryForObject("SELECT failures FROM acme_renewal_info", Integer.class))
                .isZero();
    }

    @Test
    void anUnreachableCaIsAFailureNotAnError() {
        int closed = io.certloop.support.PebbleServer.freePort();
        AcmeRenewalWindows windows = windows("http://127.0.0.1:" + closed + "/dir");
        IssuedCertificate issued = issued();

        assertThat(windows.check(issued.sha256(), CYCLE)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT failure FROM acme_renewal_info", String.class))
                .isEqualTo(RenewalWindows.UNREACHABLE);
    }

    @Test
    void aRenewalInfoUrlOnAnotherServerIsNeverRequested() throws IOException {
        List<String> elsewhereRequests = new CopyOnWriteArrayList<>();
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            elsewhereRequests.add(exchange.getRequestURI().getPath());
            respond(exchange, 404, "{}", Map.of());
        });
        elsewhere.start();
        serve(clock.instant().minus(Duration.ofDays(1)), clock.instant(), null);
        AcmeRenewalWindows windows = windows("http://127.0.0.1:"
                + start(true, "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/renewal-info")
                + "/dir");
        IssuedCertificate issued = issued();

        assertThat(windows.check(issued.sha256(), CYCLE)).isEmpty();
        assertThat(elsewhereRequests).isEmpty();
        assertThat(jdbc.queryForObject("SELECT failure FROM acme_renewal_info", String.class))
                .isEqualTo(RenewalWindows.FOREIGN_URL);
    }

    @Test
    void aCertificateNotIssuedThroughAcmeIsNotAsked() throws IOException {
        serve(clock.instant().minus(Duration.ofDays(1)), clock.instant(), null);
        AcmeRenewalWindows windows = windows(true);
        certificates.save("internal-ca", "k-1", "web-1", "standard", "key-1", leaf.certificate(), List.of());

        assertThat(windows.check(leaf.sha256(), CYCLE)).isEmpty();
        assertThat(requests).isEmpty();
    }

    private List<String> renewalInfoRequests() {
        return requests.stream()
                .filter(path -> path.startsWith("/renewal-info/"))
                .toList();
    }

    private IssuedCertificate issued() {
        return certificates.save(
                AcmeIssuer.PATH, "k-1", "web-1", "standard", "key-1", leaf.certificate(), List.of(ca.certificate()));
    }

    private void serve(Instant start, Instant end, String explanation) {
        window = "{\"suggestedWindow\": {\"start\": \"" + start + "\", \"end\": \"" + end + "\"}"
                + (explanation == null ? "" : ", \"explanationURL\": \"" + explanation + "\"") + "}";
    }

    private AcmeRenewalWindows windows(boolean offered) throws IOException {
        return windows("http://127.0.0.1:" + start(offered, null) + "/dir");
    }

    /** Starts the directory server; {@code renewalInfo} overrides where its directory says renewal info is. */
    private int start(boolean offered, String renewalInfo) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            if (path.equals("/dir")) {
                respond(
                        exchange,
                        200,
                        "{\"newNonce\": \"" + base + "/nonce\", \"newAccount\": \"" + base + "/account\","
                                + " \"newOrder\": \"" + base + "/order\""
                                + (offered
                                        ? ", \"renewalInfo\": \""
                                                + (renewalInfo == null ? base + "/renewal-info" : renewalInfo) + "\""
                                        : "")
                                + "}",
                        Map.of());
            } else if (path.startsWith("/renewal-info/") && status == 200) {
                respond(exchange, 200, window, Map.of("Retry-After", "3600"));
            } else {
                respond(exchange, status == 200 ? 404 : status, "", Map.of());
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int code, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        headers.forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private AcmeRenewalWindows windows(String directory) {
        AcmeProperties properties =
                new AcmeProperties(directory, null, null, Duration.ofMillis(200), Duration.ofSeconds(5));
        AcmeIssuer issuer = new AcmeIssuer(
                custody,
                new IssuanceRequestStore(jdbc, clock),
                certificates,
                new ChallengeStore(jdbc, clock),
                jdbc,
                properties,
                new IssuanceProperties(Map.of(), Duration.ofSeconds(5)),
                clock);
        // an account exists (CertLoop issued through this CA): renewal information needs no new one
        String keyId = custody.generate(KeySpec.EC_P256, "acme-account").id();
        jdbc.update(
                "INSERT INTO acme_account (directory_url, key_id, account_url, created_at) VALUES (?, ?, ?, ?)",
                directory,
                keyId,
                directory.replace("/dir", "/account/1"),
                Timestamp.from(clock.instant()));
        return new AcmeRenewalWindows(
                issuer,
                certificates,
                jdbc,
                new AcmeRenewalInfoProperties(
                        true, Duration.ofHours(6), Duration.ofMinutes(1), Duration.ofDays(1), Duration.ofHours(1)),
                clock);
    }
}
