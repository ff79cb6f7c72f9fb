package io.certloop.probe.tls;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsDHGroupVerifier;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One probe handshake on BouncyCastle's own TLS client ({@code bctls}, the {@code org.bouncycastle.tls} API)
 * with BouncyCastle's lightweight crypto: no JSSE, no JCA provider lookups, nothing registered globally.
 *
 * <p>Why: on JDK 17 a JSSE handshake costs the prober about 2.9 ms of CPU even with BouncyCastle EC behind
 * it (the JDK's TLS code, JCA lookups and a second, wasted P-256 key share); this client does the same
 * handshake in about 1.2 ms (measured; docs/performance.md). It sends ONE key share (X25519; a TLS 1.3
 * server that wants another group answers with a HelloRetryRequest) while still listing the NIST curves and
 * FFDHE groups, so TLS 1.2 servers with P-256/P-384/P-521 certificates and DHE servers still negotiate.
 *
 * <p>What it keeps: the handshake is complete and verified (the server's key-exchange signature or TLS 1.3
 * CertificateVerify is checked against the leaf's key by the protocol); trust is NOT decided here: the
 * certificate list is captured exactly as sent (DER bytes, in order) and judged afterwards, like the JSSE
 * path's capture-all trust manager. Offered cipher suites are JDK 17's default list so the same servers
 * are reachable; names are reported in the JSSE/IANA spelling ({@code TLSv1.2},
 * {@code TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384}).
 */
final class BcTlsHandshaker {

    // JDK 17's default enabled suites, restricted to those BouncyCastle implements: the same servers are reachable.
    // Order: AES-128-GCM first, as Go, Chrome and Firefox prefer it (a server that honours the client's order then
    // picks a SHA-256 PRF and handshake hash, cheaper for both sides than SHA-384); then JDK 17's order.
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA
    };

    // listed groups (what the server may pick, and the curves its ECDSA certificate may use in TLS 1.2)
    private static final int[] GROUPS = {
        NamedGroup.x25519,
        NamedGroup.secp256r1,
        NamedGroup.secp384r1,
        NamedGroup.secp521r1,
        NamedGroup.x448,
        NamedGroup.ffdhe2048,
        NamedGroup.ffdhe3072,
        NamedGroup.ffdhe4096
    };

    // the only key share sent in a TLS 1.3 ClientHello
    private static final int KEY_SHARE = NamedGroup.x25519;

    // JSSE accepts any server DHE group from 1024 bits (jdk.tls.disabledAlgorithms: DH keySize < 1024); so does
    // the probe. BouncyCastle's default verifier also refuses groups it does not know (RFC 3526/7919), which
    // would make every server with its own `ssl_dhparam` a HANDSHAKE_FAILED for the probe but not for JSSE.
    // The probe reads a certificate, it protects no data; BouncyCastle still range-checks the server's value.
    static final TlsDHGroupVerifier DH_GROUPS = group -> group.getP().bitLength() >= 1024
            && group.getP().testBit(0)
            && group.getG().compareTo(BigInteger.ONE) > 0
            && group.getG().compareTo(group.getP().subtract(BigInteger.ONE)) < 0;

    private static final Map<Integer, String> CIPHER_NAMES = cipherNames();

    private final BcTlsCrypto crypto;

    BcTlsHandshaker(BcTlsCrypto crypto) {
        this.crypto = crypto;
    }

    /** Handshakes over the connected socket and closes the TLS layer; the caller owns the socket. */
    JsseTlsProber.Handshake handshake(Socket socket, String sni) throws IOException {
        TlsClientProtocol protocol = new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
        ProbeClient client = new ProbeClient(crypto, sni);
        protocol.connect(client);
        try {
            return new JsseTlsProber.Handshake(
                    protocolName(client.version), cipherName(client.cipherSuite), client.chain);
        } finally {
            protocol.close();
        }
    }

    static String protocolName(ProtocolVersion version) {
        if (ProtocolVersion.TLSv13.equals(version)) {
            return "TLSv1.3";
        }
        if (ProtocolVersion.TLSv12.equals(version)) {
            return "TLSv1.2";
        }
        return version == null ? null : version.getName();
    }

    static String cipherName(int suite) {
        return CIPHER_NAMES.getOrDefault(suite, String.format("0x%04X", suite));
    }

    private static Map<Integer, String> cipherNames() {
        Map<Integer, String> names = new HashMap<>();
        for (Field field : CipherSuite.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && field.getType() == int.class
                    && field.getName().startsWith("TLS_")) {
                try {
                    names.putIfAbsent(field.getInt(null), field.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + field, e);
                }
            }
        }
        return Map.copyOf(names);
    }

    private static final class ProbeClient extends DefaultTlsClient {

        private final String sni;
        private List<byte[]> chain = List.of();
        private ProtocolVersion version;
        private int cipherSuite = -1;

        ProbeClient(BcTlsCrypto crypto, String sni) {
            super(crypto);
            this.sni = sni;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv12);
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected Vector getSupportedGroups(Vector namedGroupRoles) {
            Vector groups = new Vector();
            for (int group : GROUPS) {
                if (getCrypto().hasNamedGroup(group)) {
                    groups.add(group);
                }
            }
            return groups;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Vector getEarlyKeyShareGroups() {
            Vector shares = new Vector();
            shares.add(KEY_SHARE);
            return shares;
        }

        @Override
        public TlsDHGroupVerifier getDHGroupVerifier() {
            return DH_GROUPS;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected Vector getSNIServerNames() {
            if (sni == null) {
                return null;
            }
            Vector names = new Vector();
            names.add(new ServerName(NameType.host_name, sni.getBytes(StandardCharsets.US_ASCII)));
            return names;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    chain = encoded(serverCertificate.getCertificate().getCertificateList());
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return null; // no client certificate: the probe is anonymous
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            version = context.getServerVersion();
            cipherSuite = context.getSecurityParametersConnection().getCipherSuite();
        }

        @Override
        public boolean requiresCloseNotify() {
            return false; // a peer that closes without close_notify has still presented its chain
        }
    }

    /** The sent certificates' DER bytes, in the order sent. */
    private static List<byte[]> encoded(TlsCertificate[] sent) throws IOException {
        if (sent.length == 0) {
            throw new IOException("the server sent no certificate");
        }
        List<byte[]> chain = new ArrayList<>(sent.length);
        for (TlsCertificate certificate : sent) {
            chain.add(certificate.getEncoded());
        }
        return List.copyOf(chain);
    }
}
