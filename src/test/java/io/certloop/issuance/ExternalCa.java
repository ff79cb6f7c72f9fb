package io.certloop.issuance;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
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

/** A throw-away two-level CA standing in for the enterprise CA an administrator uses. */
final class ExternalCa {

    private static final AtomicLong SERIALS = new AtomicLong(1000);

    final KeyPair rootKeys = ecKeys();
    final KeyPair intermediateKeys = ecKeys();
    final X509Certificate root;
    final X509Certificate intermediate;

    ExternalCa(String name) {
        Instant now = Instant.now();
        root = sign(
                new X500Name("CN=" + name + " Root"),
                rootKeys,
                new X500Name("CN=" + name + " Root"),
                rootKeys.getPublic(),
                now.minusSeconds(86400),
                now.plusSeconds(86400 * 365),
                true,
                List.of());
        intermediate = sign(
                new X500Name("CN=" + name + " Root"),
                rootKeys,
                new X500Name("CN=" + name + " Issuing"),
                intermediateKeys.getPublic(),
                now.minusSeconds(86400),
                now.plusSeconds(86400 * 365),
                true,
                List.of());
    }

    X509Certificate leaf(PublicKey key, List<String> names, Instant notBefore, Instant notAfter) {
        return sign(
                new X500Name(intermediate.getSubjectX500Principal().getName()),
                intermediateKeys,
                new X500Name("CN=" + names.get(0)),
                key,
                notBefore,
                notAfter,
                false,
                names);
    }

    X509Certificate leaf(PublicKey key, List<String> names) {
        Instant now = Instant.now();
        return leaf(key, names, now.minusSeconds(60), now.plusSeconds(86400 * 30));
    }

    static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(
            X500Name issuer,
            KeyPair issuerKeys,
            X500Name subject,
            PublicKey key,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            List<String> names) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (!names.isEmpty()) {
                builder.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(names.stream()
                                .map(n -> new GeneralName(GeneralName.dNSName, n))
                                .toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
