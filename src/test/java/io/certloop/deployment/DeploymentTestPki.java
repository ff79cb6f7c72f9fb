package io.certloop.deployment;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Minimal CA + leaf builder for the deployment tests only, until the shared
 * {@code support/TestCertificates} reaches main; then this folds into it.
 */
final class DeploymentTestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    /** A leaf with its key and chain, as PEM, and the leaf's SHA-256 fingerprint (lowercase hex of the DER). */
    record Issued(String leafPem, String caPem, String keyPem, String sha256) {

        CertificateMaterial material() {
            return new CertificateMaterial(leafPem, List.of(caPem));
        }

        KeyMaterialSource keySource() {
            return out -> out.write(keyPem.getBytes(StandardCharsets.US_ASCII));
        }

        /** The base64 body of the key PEM, to search for leaks. */
        String keyBody() {
            return keyPem.lines()
                    .filter(l -> !l.startsWith("-----"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private DeploymentTestPki(String caName) {
        try {
            this.caKeys = ecKeys();
            X500Name name = new X500Name("CN=" + caName);
            JcaX509v3CertificateBuilder builder = builder(name, name, caKeys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            this.caCertificate = sign(builder, caKeys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static DeploymentTestPki ca(String name) {
        return new DeploymentTestPki(name);
    }

    Issued issue(String dnsName) {
        try {
            KeyPair leafKeys = ecKeys();
            JcaX509v3CertificateBuilder builder = builder(
                    X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=" + dnsName),
                    leafKeys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            X509Certificate leaf = sign(builder, caKeys);
            return new Issued(
                    pem("CERTIFICATE", leaf.getEncoded()),
                    pem("CERTIFICATE", caCertificate.getEncoded()),
                    pem("PRIVATE KEY", leafKeys.getPrivate().getEncoded()),
                    sha256(leaf.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(30))),
                subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
