package io.certloop.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An outside CA made entirely by the {@code openssl} command line (Debian's OpenSSL 3), for tests that want a peer
 * CA which is not built by the same library CertLoop parses with. Every key, certificate, CRL and OCSP answer comes
 * from an {@code openssl} process working in the CA's directory (a {@code openssl ca} configuration, an
 * {@code index.txt} database, a serial file); Java only runs the commands and reads the resulting PEM files.
 *
 * <pre>{@code
 * OpensslCa root = OpensslCa.root(tmp.resolve("root"), "Partner Root");        // req -x509
 * OpensslCa ca = root.intermediate(tmp.resolve("issuing"), "Partner Issuing CA"); // req + ca -extensions v3_ca
 * try (OpensslCa.Publication published = ca.publication()) {              // loopback HTTP server, URLs known now
 *     OpensslCa.Leaf leaf = ca.leaf(dir, "localhost", 60, published.crlUrl(), published.ocspUrl(), null);
 *     ca.revoke(leaf, "keyCompromise");                                  // ca -revoke -crl_reason
 *     published.publish();                                               // ca -gencrl, crl -outform DER, ocsp responder
 * }
 * }</pre>
 *
 * <p>The {@link Publication} serves, on one loopback port, the CA's DER CRL under {@code /crl/ca.crl} and its OCSP
 * responder under {@code /ocsp}. The OCSP answers are made by {@code openssl ocsp -index ... -rsigner ... -rkey ...
 * -CA ...} run as a process (signed with the CA's own key); the publication passes each POSTed request through to
 * that process unchanged and returns its answer unchanged, only so the test can count requests per path on one
 * host and port. ({@code openssl ocsp -port} cannot bind to loopback alone: the responder process listens on every
 * interface, on a port the kernel picks, for the life of the test.)
 *
 * <p>Keys are EC P-256, signatures SHA-256. Never log the key files.
 */
public final class OpensslCa {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final String commonName;
    /** The CA certificates a server sends above a leaf of this CA: this one unless it is a root, then its parents'. */
    private final List<Path> chain;

    private int leaves;

    private OpensslCa(Path dir, String commonName, List<Path> chain) {
        this.dir = dir;
        this.commonName = commonName;
        this.chain = List.copyOf(chain);
    }

    /** A self-signed root CA ({@code openssl req -x509}) in {@code dir}, which is created. */
    public static OpensslCa root(Path dir, String commonName) {
        OpensslCa ca = new OpensslCa(dir, commonName, List.of());
        ca.prepare();
        ca.genkey("ca.key");
        ca.openssl(
                "req",
                "-x509",
                "-new",
                "-key",
                "ca.key",
                "-subj",
                "/CN=" + commonName,
                "-days",
                "3650",
                "-config",
                "ca.cnf",
                "-extensions",
                "v3_ca",
                "-out",
                "ca.pem");
        return ca;
    }

    /** A CA certificate for a new key in {@code dir}, signed by this CA ({@code openssl ca -extensions v3_ca}). */
    public OpensslCa intermediate(Path childDir, String childName) {
        List<Path> childChain = new ArrayList<>();
        childChain.add(childDir.resolve("ca.pem"));
        childChain.addAll(chain);
        OpensslCa child = new OpensslCa(childDir, childName, childChain);
        child.prepare();
        child.genkey("ca.key");
        child.openssl(
                "req", "-new", "-key", "ca.key", "-subj", "/CN=" + childName, "-config", "ca.cnf", "-out", "ca.csr");
        openssl(
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-in",
                childDir.resolve("ca.csr").toAbsolutePath().toString(),
                "-out",
                childDir.resolve("ca.pem").toAbsolutePath().toString(),
                "-extensions",
                "v3_ca",
                "-days",
                "1825",
                "-notext");
        return child;
    }

    /** This CA's certificate, as openssl wrote it. */
    public X509Certificate certificate() {
        return read(dir.resolve("ca.pem"));
    }

    /**
     * A TLS server certificate for {@code dnsName} signed by this CA, written to {@code outDir} as {@code key.pem}
     * (PKCS#8, made by {@code openssl genpkey}), {@code cert.pem} and {@code fullchain.pem} (leaf then the CAs above
     * it, without the root).
     *
     * @param crlUrl CRL distribution point, or null for none
     * @param ocspUrl OCSP responder in the Authority Information Access extension, or null for none
     * @param sameKeyAs an earlier leaf whose key is reused (copied, never read into Java), or null for a new key
     */
    public Leaf leaf(Path outDir, String dnsName, int days, String crlUrl, String ocspUrl, Leaf sameKeyAs) {
        try {
            Files.createDirectories(outDir);
            Path key = outDir.resolve("key.pem").toAbsolutePath();
            if (sameKeyAs == null) {
                run(outDir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
            } else {
                Files.copy(sameKeyAs.key(), key);
            }
            String name = "leaf-" + (++leaves);
            StringBuilder extensions = new StringBuilder("[ leaf ]\n")
                    .append("basicConstraints = critical,CA:false\n")
                    .append("keyUsage = critical,digitalSignature\n")
                    .append("extendedKeyUsage = serverAuth\n")
                    .append("subjectKeyIdentifier = hash\n")
                    .append("authorityKeyIdentifier = keyid\n")
                    .append("subjectAltName = DNS:")
                    .append(dnsName)
                    .append('\n');
            if (crlUrl != null) {
                extensions.append("crlDistributionPoints = URI:").append(crlUrl).append('\n');
            }
            if (ocspUrl != null) {
                extensions
                        .append("authorityInfoAccess = OCSP;URI:")
                        .append(ocspUrl)
                        .append('\n');
            }
            Files.writeString(dir.resolve(name + ".ext"), extensions.toString(), StandardCharsets.US_ASCII);
            openssl(
                    "req",
                    "-new",
                    "-key",
                    key.toString(),
                    "-subj",
                    "/CN=" + dnsName,
                    "-config",
                    "ca.cnf",
                    "-out",
                    name + ".csr");
            Path cert = outDir.resolve("cert.pem").toAbsolutePath();
            openssl(
                    "ca",
                    "-batch",
                    "-config",
                    "ca.cnf",
                    "-in",
                    name + ".csr",
                    "-out",
                    cert.toString(),
                    "-extfile",
                    name + ".ext",
                    "-extensions",
                    "leaf",
                    "-days",
                    Integer.toString(days),
                    "-notext");
            StringBuilder fullchain = new StringBuilder(Files.readString(cert, StandardCharsets.US_ASCII));
            for (Path above : chain) {
                fullchain.append(Files.readString(above, StandardCharsets.US_ASCII));
            }
            Path fullchainFile = outDir.resolve("fullchain.pem");
            Files.writeString(fullchainFile, fullchain.toString(), StandardCharsets.US_ASCII);
            return new Leaf(read(cert), cert, key, fullchainFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Marks the leaf revoked in the CA's database ({@code openssl ca -revoke -crl_reason reason}). */
    public void revoke(Leaf leaf, String reason) {
        openssl(
                "ca",
                "-config",
                "ca.cnf",
                "-revoke",
                leaf.certificatePem().toAbsolutePath().toString(),
                "-crl_reason",
                reason);
    }

    /** A fresh CRL from the CA's database ({@code openssl ca -gencrl}, next update in a day), DER-encoded. */
    public byte[] crlDer() {
        openssl("ca", "-config", "ca.cnf", "-gencrl", "-crldays", "1", "-out", "ca.crl.pem");
        openssl("crl", "-in", "ca.crl.pem", "-outform", "DER", "-out", "ca.crl");
        try {
            return Files.readAllBytes(dir.resolve("ca.crl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the loopback HTTP server for this CA's CRL and OCSP; nothing is served until {@link Publication#publish}. */
    public Publication publication() {
        try {
            return new Publication();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "OpensslCa[" + commonName + " in " + dir + "]";
    }

    private void prepare() {
        try {
            Files.createDirectories(dir.resolve("newcerts"));
            Files.writeString(dir.resolve("index.txt"), "");
            // openssl reads the serial file as whole bytes: always 16 hex digits (a leading 1, then 60 random bits)
            Files.writeString(dir.resolve("serial"), "1" + String.format("%015x", new BigInteger(60, RANDOM)) + "\n");
            Files.writeString(dir.resolve("crlnumber"), "1000\n");
            Files.writeString(
                    dir.resolve("ca.cnf"),
                    String.join(
                            "\n",
                            "[ ca ]",
                            "default_ca = CA_default",
                            "[ CA_default ]",
                            "dir = " + dir.toAbsolutePath(),
                            "database = $dir/index.txt",
                            "new_certs_dir = $dir/newcerts",
                            "certificate = $dir/ca.pem",
                            "private_key = $dir/ca.key",
                            "serial = $dir/serial",
                            "crlnumber = $dir/crlnumber",
                            "default_md = sha256",
                            "default_days = 90",
                            "default_crl_days = 1",
                            "policy = policy_any",
                            "unique_subject = no",
                            "crl_extensions = crl_ext",
                            "[ policy_any ]",
                            "commonName = supplied",
                            "[ req ]",
                            "distinguished_name = dn",
                            "[ dn ]",
                            "[ v3_ca ]",
                            "basicConstraints = critical,CA:true",
                            "keyUsage = critical,keyCertSign,cRLSign",
                            "subjectKeyIdentifier = hash",
                            "authorityKeyIdentifier = keyid",
                            "[ crl_ext ]",
                            "authorityKeyIdentifier = keyid",
                            ""),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void genkey(String file) {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file);
    }

    private void openssl(String... args) {
        run(dir, args);
    }

    /** Runs {@code openssl args} in {@code workDir}; a non-zero exit fails with openssl's output (no key material). */
    private static void run(Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit " + process.exitValue() + ": " + command + "\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate read(Path pem) {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(pem))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException("openssl wrote an unreadable certificate " + pem, e);
        }
    }

    /** A leaf openssl issued: its parsed certificate and the files it lives in. Never log the key file's content. */
    public record Leaf(X509Certificate certificate, Path certificatePem, Path key, Path fullchain) {

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        public String sha256() {
            return TestCertificates.sha256(certificate);
        }
    }

    /**
     * The CA's CRL distribution point and OCSP responder on one loopback port (see the class comment). Counts
     * requests per path so tests can see that each source was asked.
     */
    public final class Publication implements AutoCloseable {

        private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)");

        private final HttpServer server;
        private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        private volatile byte[] crl;
        private volatile int responderPort;
        private Process responder;

        private Publication() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/crl", this::crl);
            server.createContext("/ocsp", this::ocsp);
            server.start();
        }

        public String crlUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/crl/ca.crl";
        }

        public String ocspUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp";
        }

        /** Requests served on a path prefix ("/crl" or "/ocsp"). */
        public int requests(String prefix) {
            AtomicInteger count = requests.get(prefix);
            return count == null ? 0 : count.get();
        }

        /**
         * Publishes the CA's database as it is now: a new CRL ({@link #crlDer()}) and a (re)started {@code openssl
         * ocsp} responder reading {@code index.txt}. Until the first call both paths answer 503.
         */
        public synchronized Publication publish() {
            crl = crlDer();
            stopResponder();
            try {
                Path log = dir.resolve("ocsp.log");
                Path out = dir.resolve("ocsp.out");
                Files.deleteIfExists(out);
                responder = new ProcessBuilder(
                                "openssl",
                                "ocsp",
                                "-index",
                                "index.txt",
                                "-port",
                                "0",
                                "-rsigner",
                                "ca.pem",
                                "-rkey",
                                "ca.key",
                                "-CA",
                                "ca.pem",
                                "-nmin",
                                "60")
                        .directory(dir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                Instant until = Instant.now().plusSeconds(10);
                while (responderPort == 0) {
                    Matcher accept = ACCEPT.matcher(Files.exists(out) ? Files.readString(out) : "");
                    if (accept.find()) {
                        responderPort = Integer.parseInt(accept.group(1));
                    } else if (!responder.isAlive() || Instant.now().isAfter(until)) {
                        throw new IllegalStateException("openssl ocsp did not start: " + Files.readString(log));
                    } else {
                        Thread.sleep(20);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return this;
        }

        @Override
        public synchronized void close() {
            server.stop(0);
            stopResponder();
        }

        private void stopResponder() {
            responderPort = 0;
            if (responder != null) {
                responder.destroy();
                try {
                    if (!responder.waitFor(5, TimeUnit.SECONDS)) {
                        responder.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                responder = null;
            }
        }

        private void crl(HttpExchange exchange) throws IOException {
            requests.computeIfAbsent("/crl", key -> new AtomicInteger()).incrementAndGet();
            byte[] body = crl;
            if (body == null) {
                respond(exchange, 503, "text/plain", new byte[0]);
            } else {
                respond(exchange, 200, "application/pkix-crl", body);
            }
        }

        private void ocsp(HttpExchange exchange) throws IOException {
            requests.computeIfAbsent("/ocsp", key -> new AtomicInteger()).incrementAndGet();
            int port = responderPort;
            if (port == 0 || !"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, port == 0 ? 503 : 405, "text/plain", new byte[0]);
                return;
            }
            byte[] request;
            try (InputStream in = exchange.getRequestBody()) {
                request = in.readAllBytes();
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST / HTTP/1.0\r\nHost: 127.0.0.1:" + port
                                + "\r\nContent-Type: application/ocsp-request\r\nContent-Length: " + request.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(request);
                out.flush();
                byte[] answer = socket.getInputStream().readAllBytes(); // HTTP/1.0: openssl closes after answering
                int body = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String head = new String(answer, 0, Math.max(body, 0), StandardCharsets.US_ASCII);
                if (body < 0 || !head.matches("(?s)HTTP/1\\.[01] 200 .*")) {
                    respond(exchange, 502, "text/plain", head.getBytes(StandardCharsets.US_ASCII));
                } else {
                    respond(
                            exchange,
                            200,
                            "application/ocsp-response",
                            java.util.Arrays.copyOfRange(answer, body + 4, answer.length));
                }
            } catch (IOException e) { // the responder failed: a 502 the client must cope with
                respond(exchange, 502, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
            }
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                    return i;
                }
            }
            return -1;
        }

        private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
