package io.certloop.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Debian's {@code pebble} ACME test server on free loopback ports. Debian ships no TLS material, so
 * a throw-away CA and a localhost certificate are made here; {@link #caFile()} is what the ACME
 * client must trust. With {@code alwaysValid} the validator accepts every challenge; otherwise it
 * really fetches {@code http://<name>:<httpPort>/.well-known/acme-challenge/<token>}.
 */
public final class PebbleServer implements AutoCloseable {

    private final Process process;
    private final Path directory;
    private final int port;
    private final Path caFile;
    private final Path log;
    private int managementPort;

    private PebbleServer(Process process, Path directory, int port, Path caFile, Path log) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.caFile = caFile;
        this.log = log;
    }

    /** Starts pebble that accepts every challenge without contacting anyone. */
    public static PebbleServer startAlwaysValid() {
        return start(freePort(), true);
    }

    /** Starts pebble whose validator fetches HTTP-01 answers from {@code httpPort} on loopback. */
    public static PebbleServer startValidatingOn(int httpPort) {
        return start(httpPort, false);
    }

    private static PebbleServer start(int httpPort, boolean alwaysValid) {
        try {
            Path dir = Files.createTempDirectory("pebble");
            Path caFile = dir.resolve("ca.pem");
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            writeTlsMaterial(caFile, cert, key);
            int port = freePort();
            int managementPort = freePort();
            Path config = dir.resolve("pebble-config.json");
            Files.writeString(config, """
                    {"pebble": {
                      "listenAddress": "127.0.0.1:%d",
                      "managementListenAddress": "127.0.0.1:%d",
                      "certificate": "%s",
                      "privateKey": "%s",
                      "httpPort": %d,
                      "tlsPort": %d,
                      "ocspResponderURL": "",
                      "externalAccountBindingRequired": false
                    }}""".formatted(port, managementPort, cert, key, httpPort, freePort()));
            Path log = dir.resolve("pebble.log");
            ProcessBuilder builder = new ProcessBuilder("pebble", "-config", config.toString(), "-strict=false")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("PEBBLE_VA_NOSLEEP", "1");
            env.put("PEBBLE_WFE_NONCEREJECT", "0");
            env.put("PEBBLE_AUTHZREUSE", "0");
            if (alwaysValid) {
                env.put("PEBBLE_VA_ALWAYS_VALID", "1");
            }
            PebbleServer server = new PebbleServer(builder.start(), dir, port, caFile, log);
            server.managementPort = managementPort;
            server.awaitListening(Duration.ofSeconds(20));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pebble (is the Debian package installed?)", e);
        }
    }

    /** The ACME directory URL. */
    public String directoryUrl() {
        return directoryUrl(port);
    }

    /** The ACME directory URL through something listening on {@code port} in front of pebble (a {@link TcpRelay}). */
    public static String directoryUrl(int port) {
        return "https://localhost:" + port + "/dir";
    }

    /** The port pebble's ACME server listens on. */
    public int port() {
        return port;
    }

    /** PEM file of the CA that signed pebble's HTTPS certificate. */
    public Path caFile() {
        return caFile;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitListening(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pebble exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        close();
        throw new IllegalStateException("pebble did not listen within " + timeout + ":\n" + log());
    }

    /**
     * The root that signs pebble's issued chains (generated anew at every pebble start), from its
     * management API, for relying parties such as the probe.
     */
    public String issuingRootPem() {
        try {
            java.security.cert.X509Certificate tlsRoot;
            try (var in = Files.newInputStream(caFile)) {
                tlsRoot =
                        (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                                .generateCertificate(in);
            }
            javax.net.ssl.SSLContext context = TestCertificates.trustingOnly(tlsRoot);
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .sslContext(context)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            java.net.http.HttpResponse<String> response = client.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("https://localhost:" + managementPort + "/roots/0"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("pebble /roots/0 answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read pebble's root", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTlsMaterial(Path caFile, Path certFile, Path keyFile) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair serverKeys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=pebble test CA");
            X509Certificate ca = new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    caName,
                                    BigInteger.valueOf(now.toEpochMilli()),
                                    Date.from(now.minusSeconds(3600)),
                                    Date.from(now.plus(Duration.ofDays(2))),
                                    caName,
                                    caKeys.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            X509Certificate server = new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    caName,
                                    BigInteger.valueOf(now.toEpochMilli() + 1),
                                    Date.from(now.minusSeconds(3600)),
                                    Date.from(now.plus(Duration.ofDays(2))),
                                    new X500Name("CN=localhost"),
                                    serverKeys.getPublic())
                            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                new GeneralName(GeneralName.dNSName, "localhost"),
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                            }))
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            writePem(caFile, ca);
            writePem(certFile, server);
            try (Writer out = Files.newBufferedWriter(keyFile, StandardCharsets.US_ASCII);
                    JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(new JcaPKCS8Generator(serverKeys.getPrivate(), null));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot make pebble's TLS material", e);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }

    @Override
    public String toString() {
        return "PebbleServer[" + directoryUrl() + ", dir=" + directory + "]";
    }
}
