package io.certloop.probe;

import io.certloop.system.Fingerprints;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Turns X.509 certificates into the facts a report carries. */
public final class Certificates {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private Certificates() {}

    public static CertificateDetails details(X509Certificate certificate) {
        PublicKey key = certificate.getPublicKey();
        return new CertificateDetails(
                Fingerprints.sha256Hex(certificate),
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                certificate.getSerialNumber().toString(16),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                sans(certificate),
                key.getAlgorithm(),
                keySize(key),
                certificate.getSigAlgName(),
                selfSigned(certificate),
                Fingerprints.sha256Hex(key.getEncoded()));
    }

    static List<String> sans(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries == null) {
                return names;
            }
            for (List<?> entry : entries) {
                int type = (Integer) entry.get(0);
                if (type == SAN_DNS || type == SAN_IP) {
                    names.add(String.valueOf(entry.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            // a malformed SAN extension is reported as "no names", which NAME_MISMATCH then flags
        }
        return names;
    }

    static int keySize(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof DSAPublicKey dsa) {
            return dsa.getParams().getP().bitLength();
        }
        return switch (key.getAlgorithm()) {
            case "Ed25519", "X25519" -> 255;
            case "Ed448", "X448" -> 448;
            case "EdDSA" -> 255;
            default -> 0;
        };
    }

    public static boolean selfSigned(X509Certificate certificate) {
        return signedBy(certificate, certificate);
    }

    /** The issuer's name matches and its key verifies the certificate's signature. */
    public static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
