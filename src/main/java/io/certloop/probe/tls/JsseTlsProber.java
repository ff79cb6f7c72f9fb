package io.certloop.probe.tls;

import io.certloop.probe.AddressResult;
import io.certloop.probe.CertificateDetails;
import io.certloop.probe.InvalidProbeRequestException;
import io.certloop.probe.ProbeProperties;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.ProbeRequest;
import io.certloop.probe.TlsProber;
import io.certloop.probe.guard.AddressRules;
import io.certloop.probe.guard.ProbeTargetGuard;
import io.certloop.probe.policy.FindingPolicy;
import io.certloop.probe.policy.ProbeContext;
import io.certloop.probe.revocation.Deadline;
import io.certloop.probe.revocation.Revocation;
import io.certloop.probe.revocation.RevocationChecker;
import io.certloop.probe.revocation.RevocationFetcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@link TlsProber} over a plain socket. The handshake trusts everything so that a broken chain is still
 * captured exactly as sent; judgement (chain, trust, names, revocation, policy) happens after,
 * on the captured certificates. Each resolved address is probed on its own; connections go to
 * the address the guard approved. The handshake runs on BouncyCastle's TLS client
 * ({@link BcTlsHandshaker}, the default) or on the JDK's JSSE ({@code certloop.probe.bouncy-castle-tls=false});
 * see docs/adr/0001-probe-crypto-providers.md.
 */
public class JsseTlsProber implements TlsProber {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final ProbeTargetGuard guard;
    private final ChainEvaluator chains;
    private final SentCertificates certificates;
    private final RevocationChecker revocation;
    private final FindingPolicy policy;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final boolean revocationEnabled;
    private final Duration revocationTimeout;
    private final BcTlsHandshaker bouncyCastle;
    private final SSLSocketFactory sockets;
    private final ScheduledThreadPoolExecutor watchdog;

    public JsseTlsProber(
            ProbeProperties properties,
            ProbeTargetGuard guard,
            TrustAnchors anchors,
            FindingPolicy policy,
            Clock clock) {
        this.guard = guard;
        this.chains = new ChainEvaluator(anchors, properties.cacheSize());
        this.certificates = new SentCertificates(properties.cacheSize());
        this.revocation = new RevocationChecker(new RevocationFetcher(guard), clock, properties.revocationFetch());
        this.policy = policy;
        this.clock = clock;
        this.connectTimeout = properties.connectTimeout();
        this.handshakeTimeout = properties.handshakeTimeout();
        this.revocationEnabled = properties.revocationEnabled();
        this.revocationTimeout = properties.revocationTimeout();
        PerThreadSecureRandom random = new PerThreadSecureRandom();
        if (properties.bouncyCastleTls()) {
            bouncyCastle =
                    new BcTlsHandshaker(new ProbeTlsCrypto(random, properties.cacheSize(), properties.keyShareUses()));
            sockets = null;
        } else {
            bouncyCastle = null;
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new CaptureAll()}, random);
                sockets = context.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS unavailable", e);
            }
        }
        watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "probe-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.setRemoveOnCancelPolicy(true);
    }

    @Override
    public ProbeReport probe(ProbeRequest request) {
        return probe(request, false);
    }

    @Override
    public ProbeReport probeAskingEveryRevocationSource(ProbeRequest request) {
        return probe(request, true);
    }

    private ProbeReport probe(ProbeRequest request, boolean everyRevocationSource) {
        if (request.port() < 1 || request.port() > 65535) {
            throw new InvalidProbeRequestException("port", "must be between 1 and 65535");
        }
        ProbeTargetGuard.Targets targets = guard.permit(request.host(), request.port(), request.addresses());
        String sni = request.sni() == null || request.sni().isBlank()
                ? serverNameFor(targets.host())
                : request.sni().strip();
        if (sni != null) {
            try {
                new SNIHostName(sni);
            } catch (IllegalArgumentException e) {
                throw new InvalidProbeRequestException("sni", "not a valid server name: " + sni);
            }
        }
        List<String> expectedNames = request.expectedNames().isEmpty()
                ? List.of(sni == null ? targets.host() : sni)
                : request.expectedNames();
        Instant now = clock.instant();

        List<AddressResult> results = new ArrayList<>();
        Map<String, Revocation> revocationByLeaf = new HashMap<>();
        // every handshake is bounded by its own timeouts; revocation fetches get what remains of the probe's deadline
        Deadline deadline = Deadline.after(connectTimeout
                .plus(handshakeTimeout)
                .multipliedBy(Math.max(1, targets.addresses().size()))
                .plus(revocationTimeout));
        for (InetAddress address : targets.addresses()) {
            results.add(probeAddress(
                    address,
                    request.port(),
                    sni,
                    expectedNames,
                    now,
                    revocationByLeaf,
                    deadline,
                    everyRevocationSource));
        }
        if (targets.addresses().isEmpty()) {
            results.add(AddressResult.failed(targets.host(), targets.resolutionError()));
        }
        AddressResult primary =
                results.stream().filter(AddressResult::handshakeOk).findFirst().orElse(null);
        ProbeReport report = primary == null
                ? new ProbeReport(
                        targets.host(),
                        request.port(),
                        sni,
                        expectedNames,
                        now,
                        null,
                        null,
                        null,
                        List.of(),
                        false,
                        false,
                        false,
                        Revocation.unknown(Revocation.NO_HANDSHAKE),
                        List.of(),
                        results)
                : new ProbeReport(
                        targets.host(),
                        request.port(),
                        sni,
                        expectedNames,
                        now,
                        primary.protocol(),
                        primary.cipher(),
                        primary.leaf(),
                        primary.chain(),
                        primary.chainComplete(),
                        primary.trusted(),
                        primary.hostnameMatches(),
                        primary.revocation(),
                        List.of(),
                        results);
        return report.withFindings(
                policy.evaluate(new ProbeContext(report, request.expectedSha256(), request.tier(), now)));
    }

    private AddressResult probeAddress(
            InetAddress address,
            int port,
            String sni,
            List<String> expectedNames,
            Instant now,
            Map<String, Revocation> revocationByLeaf,
            Deadline deadline,
            boolean everyRevocationSource) {
        Handshake handshake;
        try {
            handshake = handshake(address, port, sni);
        } catch (IOException e) {
            return AddressResult.failed(address.getHostAddress(), describe(e));
        }
        List<SentCertificates.Sent> parsed;
        try {
            parsed = certificates.parse(handshake.chain());
        } catch (CertificateException e) {
            return AddressResult.failed(
                    address.getHostAddress(), "the server sent a certificate that does not parse: " + e.getMessage());
        }
        List<X509Certificate> sent =
                parsed.stream().map(SentCertificates.Sent::certificate).toList();
        List<CertificateDetails> details =
                parsed.stream().map(SentCertificates.Sent::details).toList();
        ChainEvaluator.Verdict verdict = chains.evaluate(
                sent, details.stream().map(CertificateDetails::sha256).toList(), now);
        boolean namesMatch =
                HostnameMatcher.unmatched(expectedNames, details.get(0).sans()).isEmpty();
        Revocation status = revocationEnabled
                ? revocationByLeaf.computeIfAbsent(
                        details.get(0).sha256(),
                        key -> everyRevocationSource
                                ? revocation.checkEverySource(sent.get(0), verdict.leafIssuer(), deadline)
                                : revocation.check(sent.get(0), verdict.leafIssuer(), deadline))
                : Revocation.unknown(Revocation.DISABLED);
        return new AddressResult(
                address.getHostAddress(),
                true,
                null,
                handshake.protocol(),
                handshake.cipher(),
                details,
                verdict.complete(),
                verdict.anchorTrusted(),
                verdict.trusted(),
                verdict.trustDetail(),
                namesMatch,
                status);
    }

    /** What one handshake saw: negotiated protocol and suite (JSSE spelling) and the chain as sent (DER, in order). */
    record Handshake(String protocol, String cipher, List<byte[]> chain) {}

    private Handshake handshake(InetAddress address, int port, String sni) throws IOException {
        Socket raw = new Socket();
        ScheduledFuture<?> deadline = null;
        try {
            // JSSE writes a flight in several small writes: with Nagle on, the second waits for the peer's
            // delayed ACK (40 ms on Linux) and every handshake stalls; a prober only ever sends handshake data
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
            raw.setSoTimeout((int) handshakeTimeout.toMillis());
            // a peer that trickles bytes resets the read timeout; the watchdog bounds the whole handshake
            deadline = watchdog.schedule(() -> closeQuietly(raw), handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (bouncyCastle != null) {
                return bouncyCastle.handshake(raw, sni);
            }
            SSLSocket socket = (SSLSocket) sockets.createSocket(raw, address.getHostAddress(), port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(supported(socket.getSupportedProtocols()));
            parameters.setEndpointIdentificationAlgorithm(null);
            if (sni != null) {
                parameters.setServerNames(List.of(new SNIHostName(sni)));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            SSLSession session = socket.getSession();
            List<byte[]> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                chain.add(certificate.getEncoded());
            }
            Handshake result = new Handshake(session.getProtocol(), session.getCipherSuite(), chain);
            session.invalidate(); // never resume: every probe must see the certificate as sent now
            closeQuietly(socket);
            return result;
        } catch (CertificateEncodingException e) {
            throw new IOException("the server sent a certificate that cannot be encoded: " + e.getMessage(), e);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            closeQuietly(raw);
        }
    }

    private static String[] supported(String[] available) {
        List<String> supported = Arrays.asList(available);
        return Arrays.stream(PROTOCOLS).filter(supported::contains).toArray(String[]::new);
    }

    private static String serverNameFor(String host) {
        return AddressRules.parseLiteral(host).isPresent() ? null : host;
    }

    private static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out: " + e.getMessage();
        }
        if (e instanceof java.net.SocketException && "Socket closed".equals(e.getMessage())) {
            return "handshake timed out";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort; the socket is abandoned either way
        }
    }

    /** Accepts every chain and keeps nothing: capture first, judge later. */
    private static final class CaptureAll extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
