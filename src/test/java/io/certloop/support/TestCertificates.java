package io.certloop.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds real X.509 certificates for tests, so every certificate failure mode (expired, wrong
 * name, weak key, missing intermediate, revoked...) can be served by a real TLS peer instead of
 * being mocked. Shared by every feature's tests; keep it general.
 *
 * <pre>{@code
 * Issued root = TestCertificates.rootCa("Test Root").selfSigned();
 * Issued ca   = TestCertificates.intermediate("Test Issuing CA").signedBy(root);
 * Issued leaf = TestCertificates.leaf("svc.test").expiringIn(Duration.ofDays(3)).signedBy(ca);
 * leaf.writeChainPem(dir.resolve("fullchain.pem"));  // leaf + intermediate
 * leaf.writeKeyPem(dir.resolve("key.pem"));
 * }</pre>
 *
 * Keys default to EC P-256 (fast to generate); {@link Builder#rsa(int)} switches to RSA.
 */
public final class TestCertificates {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {}

    /** A self-signed root CA; finish with {@link Builder#selfSigned()}. */
    public static Builder rootCa(String commonName) {
        return new Builder(commonName, Kind.CA);
    }

    /** A CA certificate meant to be signed by another CA; finish with {@link Builder#signedBy}. */
    public static Builder intermediate(String commonName) {
        return new Builder(commonName, Kind.CA);
    }

    /** A TLS server (end-entity) certificate; its SAN defaults to the common name. */
    public static Builder leaf(String commonName) {
        return new Builder(commonName, Kind.LEAF);
    }

    /** A PKCS#12 key store whose only trust anchors are these certificates. */
    public static KeyStore trustStore(X509Certificate... anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client TLS context that trusts these certificates and nothing else (host names are checked as usual). */
    public static SSLContext trustingOnly(X509Certificate... anchors) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(anchors));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM file holding the given certificates in order. */
    public static String toPem(List<X509Certificate> certificates) {
        return pem(certificates.toArray());
    }

    /** Lower-case hex SHA-256 of the DER encoding, the way the prober reports fingerprints. */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A CRL issued by {@code ca} listing the given revoked serials (reason key compromise).
     *
     * @param thisUpdate start of validity; the next update is one day later
     */
    public static X509CRL crl(Issued ca, Instant thisUpdate, BigInteger... revokedSerials) {
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ca.certificate(), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(thisUpdate.plus(Duration.ofDays(1))));
            for (BigInteger serial : revokedSerials) {
                builder.addCRLEntry(serial, Date.from(thisUpdate.minus(Duration.ofHours(1))), CRLReason.keyCompromise);
            }
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
            ContentSigner signer = new JcaContentSignerBuilder(
                            defaultSignatureAlgorithm(ca.keyPair().getPrivate(), false))
                    .build(ca.keyPair().getPrivate());
            return new JcaX509CRLConverter().getCRL(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build test CRL", e);
        }
    }

    static String defaultSignatureAlgorithm(PrivateKey signingKey, boolean sha1) {
        String hash = sha1 ? "SHA1" : "SHA256";
        return switch (signingKey.getAlgorithm()) {
            case "RSA" -> hash + "withRSA";
            case "EC", "ECDSA" -> hash + "withECDSA";
            default -> throw new IllegalArgumentException("unsupported key " + signingKey.getAlgorithm());
        };
    }

    private static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private enum Kind {
        CA,
        LEAF
    }

    /** Fluent description of one certificate; terminal operations are {@link #selfSigned()} and {@link #signedBy}. */
    public static final class Builder {
        private final String commonName;
        private final Kind kind;
        private Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        private Instant notBefore;
        private Instant notAfter;
        private String keyAlgorithm = "EC";
        private int keySize = 256;
        private KeyPair keyPair;
        private boolean sha1;
        private List<String> sans;
        private final List<String> ocspUrls = new ArrayList<>();
        private final List<String> crlUrls = new ArrayList<>();
        private BigInteger serial;
        private Integer pathLength;

        private Builder(String commonName, Kind kind) {
            this.commonName = commonName;
            this.kind = kind;
            this.sans = kind == Kind.LEAF ? List.of(commonName) : List.of();
        }

        /** Reference time for relative validity (defaults to the wall clock). */
        public Builder now(Instant reference) {
            this.now = reference;
            return this;
        }

        /** Valid from one hour ago until {@code remaining} from now. */
        public Builder expiringIn(Duration remaining) {
            this.notBefore = now.minus(Duration.ofHours(1));
            this.notAfter = now.plus(remaining);
            return this;
        }

        /** Valid ten days ago until one day ago. */
        public Builder expired() {
            return validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        }

        /** Valid from one day in the future for 90 days. */
        public Builder notYetValid() {
            return validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(91)));
        }

        public Builder validity(Instant from, Instant until) {
            this.notBefore = from;
            this.notAfter = until;
            return this;
        }

        /** RSA key of the given size (e.g. 1024 for a weak key). */
        public Builder rsa(int bits) {
            this.keyAlgorithm = "RSA";
            this.keySize = bits;
            return this;
        }

        /** EC key on P-256 (the default). */
        public Builder ec() {
            this.keyAlgorithm = "EC";
            this.keySize = 256;
            return this;
        }

        /** Use this key pair instead of generating one (e.g. a renewal with the same key). */
        public Builder keyPair(KeyPair existing) {
            this.keyPair = existing;
            return this;
        }

        /** Sign with SHA-1 instead of SHA-256. */
        public Builder sha1() {
            this.sha1 = true;
            return this;
        }

        /** Subject alternative names; IP literals become iPAddress entries, the rest dNSName. */
        public Builder sans(String... names) {
            this.sans = List.of(names);
            return this;
        }

        /** OCSP responder URL in the Authority Information Access extension. */
        public Builder ocsp(String url) {
            this.ocspUrls.add(url);
            return this;
        }

        /** CRL distribution point URL. */
        public Builder crl(String url) {
            this.crlUrls.add(url);
            return this;
        }

        public Builder serial(BigInteger value) {
            this.serial = value;
            return this;
        }

        /** Path length constraint for a CA. */
        public Builder pathLength(int length) {
            this.pathLength = length;
            return this;
        }

        /** Sign the certificate with its own key (a root CA, or a self-signed leaf). */
        public Issued selfSigned() {
            KeyPair keys = keys();
            return build(keys, new X500Name("CN=" + commonName), keys.getPrivate(), null, List.of());
        }

        /** Sign the certificate with the CA's key; the result's chain continues with the CA's chain. */
        public Issued signedBy(Issued ca) {
            List<X509Certificate> issuerChain = new ArrayList<>();
            issuerChain.add(ca.certificate());
            issuerChain.addAll(ca.issuers());
            return build(
                    keys(),
                    X500Name.getInstance(
                            ca.certificate().getSubjectX500Principal().getEncoded()),
                    ca.keyPair().getPrivate(),
                    ca.certificate(),
                    issuerChain);
        }

        private KeyPair keys() {
            if (keyPair != null) {
                return keyPair;
            }
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
                if ("EC".equals(keyAlgorithm)) {
                    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                } else {
                    generator.initialize(keySize, RANDOM);
                }
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private Issued build(
                KeyPair keys,
                X500Name issuerName,
                PrivateKey signingKey,
                X509Certificate issuerCert,
                List<X509Certificate> issuerChain) {
            Instant from = notBefore != null ? notBefore : now.minus(Duration.ofHours(1));
            Instant until = notAfter != null
                    ? notAfter
                    : now.plus(kind == Kind.CA ? Duration.ofDays(3650) : Duration.ofDays(90));
            BigInteger serialNumber = serial != null ? serial : BigInteger.valueOf(SERIALS.incrementAndGet());
            try {
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        issuerName,
                        serialNumber,
                        Date.from(from),
                        Date.from(until),
                        new X500Name("CN=" + commonName),
                        keys.getPublic());
                builder.addExtension(
                        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
                if (issuerCert != null) {
                    builder.addExtension(
                            Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCert));
                }
                if (kind == Kind.CA) {
                    builder.addExtension(
                            Extension.basicConstraints,
                            true,
                            pathLength != null ? new BasicConstraints(pathLength) : new BasicConstraints(true));
                    builder.addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                } else {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    int usage = KeyUsage.digitalSignature
                            | ("RSA".equals(keys.getPublic().getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                    builder.addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                }
                if (!sans.isEmpty()) {
                    builder.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(
                                    sans.stream().map(Builder::generalName).toArray(GeneralName[]::new)));
                }
                if (!ocspUrls.isEmpty()) {
                    builder.addExtension(
                            Extension.authorityInfoAccess,
                            false,
                            new AuthorityInformationAccess(ocspUrls.stream()
                                    .map(url -> new AccessDescription(
                                            X509ObjectIdentifiers.ocspAccessMethod,
                                            new GeneralName(GeneralName.uniformResourceIdentifier, url)))
                                    .toArray(AccessDescription[]::new)));
                }
                if (!crlUrls.isEmpty()) {
                    builder.addExtension(
                            Extension.cRLDistributionPoints,
                            false,
                            new CRLDistPoint(crlUrls.stream()
                                    .map(url -> new DistributionPoint(
                                            new DistributionPointName(new GeneralNames(
                                                    new GeneralName(GeneralName.uniformResourceIdentifier, url))),
                                            null,
                                            null))
                                    .toArray(DistributionPoint[]::new)));
                }
                ContentSigner signer =
                        new JcaContentSignerBuilder(defaultSignatureAlgorithm(signingKey, sha1)).build(signingKey);
                X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
                return new Issued(certificate, keys, List.copyOf(issuerChain));
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException("cannot build test certificate " + commonName, e);
            }
        }

        private static GeneralName generalName(String name) {
            boolean ipLiteral = name.matches("[0-9.]+") || name.contains(":");
            if (ipLiteral) {
                try {
                    return new GeneralName(
                            GeneralName.iPAddress,
                            new org.bouncycastle.asn1.DEROctetString(
                                    InetAddress.getByName(name).getAddress()));
                } catch (IOException e) {
                    throw new IllegalArgumentException(name, e);
                }
            }
            return new GeneralName(GeneralName.dNSName, name);
        }
    }

    /**
     * A built certificate with its key pair and the chain of CAs above it (nearest first, root last).
     * Never log {@link #keyPair()}.
     */
    public record Issued(X509Certificate certificate, KeyPair keyPair, List<X509Certificate> issuers) {

        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        public String sha256() {
            return TestCertificates.sha256(certificate);
        }

        /** What a correctly configured server sends: this certificate and every CA above it except the root. */
        public List<X509Certificate> chain() {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            for (X509Certificate issuer : issuers) {
                if (!issuer.getSubjectX500Principal().equals(issuer.getIssuerX500Principal())) {
                    chain.add(issuer);
                }
            }
            return chain;
        }

        /** This certificate and every CA above it including the root. */
        public List<X509Certificate> chainWithRoot() {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(issuers);
            return chain;
        }

        /** The topmost certificate above this one (the root), or this one when it is self-signed. */
        public X509Certificate root() {
            return issuers.isEmpty() ? certificate : issuers.get(issuers.size() - 1);
        }

        public String certificatePem() {
            return pem(certificate);
        }

        public String chainPem() {
            return toPem(chain());
        }

        public Path writeCertificatePem(Path file) {
            return write(file, certificatePem());
        }

        /** Writes {@link #chain()} (leaf first, without the root), the way nginx wants a fullchain. */
        public Path writeChainPem(Path file) {
            return write(file, chainPem());
        }

        /** Leaf then chain in one file, what nginx's {@code ssl_certificate} reads. */
        public Path writeFullchainPem(Path file) {
            return write(file, certificatePem() + chainPem());
        }

        /** Writes the private key as PKCS#8 PEM. */
        public Path writeKeyPem(Path file) {
            try {
                return write(
                        file, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keyPair.getPrivate(), null)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A PKCS#12 key store with alias {@code "key"} holding the key and {@link #chain()}. */
        public KeyStore keyStore(char[] password) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", keyPair.getPrivate(), password, chain().toArray(X509Certificate[]::new));
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Subject, serial and fingerprint only: records print without key material. */
        @Override
        public String toString() {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("subject", certificate.getSubjectX500Principal().getName());
            shown.put("serial", certificate.getSerialNumber().toString(16));
            shown.put("sha256", sha256());
            return "Issued" + shown;
        }

        private static Path write(Path file, String content) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                return Files.writeString(file, content, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
