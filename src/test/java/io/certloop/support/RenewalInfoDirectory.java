package io.certloop.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * An ACME directory in front of pebble (Debian's 2.4.0 offers no renewal information) that adds what pebble lacks:
 * {@code renewalInfo} in the directory and the renewal-info answers (RFC 9773), with windows the test sets per
 * certificate. Every other resource stays pebble's own (the directory's other URLs point at pebble), so orders,
 * challenges and certificates are pebble's real ones. HTTPS with a certificate of its own CA: {@link #trustFile()}
 * holds that CA and pebble's, what the ACME client must trust.
 */
public final class RenewalInfoDirectory implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] PASSWORD = "changeit".toCharArray();

    /** One window the directory answers, and the Retry-After it sends with it. */
    public record Window(Instant start, Instant end, String explanationUrl, Duration retryAfter) {}

    private final HttpsServer server;
    private final HttpClient pebbleClient;
    private final String pebbleDirectory;
    private final Path trustFile;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final List<String> renewalInfoRequests = new CopyOnWriteArrayList<>();
    private volatile boolean offered = true;
    private volatile Window otherwise;

    private RenewalInfoDirectory(HttpsServer server, HttpClient pebbleClient, String pebbleDirectory, Path trustFile) {
        this.server = server;
        this.pebbleClient = pebbleClient;
        this.pebbleDirectory = pebbleDirectory;
        this.trustFile = trustFile;
        Instant now = Instant.now();
        this.otherwise =
                new Window(now.plus(Duration.ofDays(60)), now.plus(Duration.ofDays(62)), null, Duration.ofSeconds(1));
    }

    /** Starts in front of {@code pebble}, offering renewal information; unknown certificates get a window in 60 days. */
    public static RenewalInfoDirectory startBefore(PebbleServer pebble, Path workDirectory) {
        try {
            TestCertificates.Issued ca =
                    TestCertificates.rootCa("Renewal Info Directory CA").selfSigned();
            TestCertificates.Issued tls =
                    TestCertificates.leaf("localhost").sans("localhost").signedBy(ca);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(tls.keyStore(PASSWORD), PASSWORD);
            SSLContext serverContext = SSLContext.getInstance("TLS");
            serverContext.init(keys.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(serverContext));

            Path trustFile = workDirectory.resolve("acme-trust.pem");
            Files.writeString(trustFile, Files.readString(pebble.caFile()) + "\n" + ca.certificatePem());

            X509Certificate pebbleRoot;
            try (InputStream in = Files.newInputStream(pebble.caFile())) {
                pebbleRoot = (X509Certificate)
                        CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            SSLContext clientContext = TestCertificates.trustingOnly(pebbleRoot);
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(clientContext)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

            RenewalInfoDirectory directory = new RenewalInfoDirectory(server, client, pebble.directoryUrl(), trustFile);
            server.createContext("/", directory::handle);
            server.start();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What CertLoop is configured with as its ACME server. */
    public String directoryUrl() {
        return base() + "/dir";
    }

    /** PEM file with this directory's CA and pebble's: what the ACME client trusts. */
    public Path trustFile() {
        return trustFile;
    }

    /** Whether the directory names {@code renewalInfo} (false: exactly pebble's directory). */
    public void offer(boolean value) {
        offered = value;
    }

    /** The window answered for this certificate from now on. */
    public void window(X509Certificate certificate, Window window) {
        windows.put(uniqueId(certificate), window);
    }

    /** The certificate identifiers asked for, in order (paths under {@code /renewal-info/}). */
    public List<String> renewalInfoRequests() {
        return List.copyOf(renewalInfoRequests);
    }

    /** RFC 9773's identifier of a certificate, computed here without acme4j: base64url(AKI key id).base64url(serial). */
    public static String uniqueId(X509Certificate certificate) {
        try {
            byte[] keyId = AuthorityKeyIdentifier.fromExtensions(
                            new JcaX509CertificateHolder(certificate).getExtensions())
                    .getKeyIdentifier();
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            return url.encodeToString(keyId) + "."
                    + url.encodeToString(certificate.getSerialNumber().toByteArray());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String base() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/dir")) {
                HttpResponse<String> upstream = pebbleClient.send(
                        HttpRequest.newBuilder(URI.create(pebbleDirectory)).build(),
                        HttpResponse.BodyHandlers.ofString());
                ObjectNode directory = (ObjectNode) JSON.readTree(upstream.body());
                if (offered) {
                    directory.put("renewalInfo", base() + "/renewal-info");
                }
                respond(exchange, 200, directory.toString(), null);
            } else if (path.startsWith("/renewal-info/")) {
                String id = path.substring("/renewal-info/".length());
                renewalInfoRequests.add(id);
                Window window = windows.getOrDefault(id, otherwise);
                ObjectNode body = JSON.createObjectNode();
                body.putObject("suggestedWindow")
                        .put("start", window.start().toString())
                        .put("end", window.end().toString());
                if (window.explanationUrl() != null) {
                    body.put("explanationURL", window.explanationUrl());
                }
                respond(exchange, 200, body.toString(), window.retryAfter());
            } else {
                respond(exchange, 404, "{}", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body, Duration retryAfter)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", Long.toString(retryAfter.toSeconds()));
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
