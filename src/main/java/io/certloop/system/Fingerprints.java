package io.certloop.system;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The one way CertLoop writes a fingerprint: SHA-256, lower-case hex, no separators. Probes,
 * issuers, the inventory's expectations and the incident timeline all compare these strings.
 */
public final class Fingerprints {

    private Fingerprints() {}

    public static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    /** Of the certificate's DER encoding: what a probe of the live endpoint reports. */
    public static String sha256Hex(X509Certificate certificate) {
        try {
            return sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /** Of the certificate's SubjectPublicKeyInfo: the same key under another certificate has the same value. */
    public static String spkiSha256Hex(X509Certificate certificate) {
        return sha256Hex(certificate.getPublicKey().getEncoded());
    }

    /** A fresh SHA-256 digest, for streaming a file's bytes through it. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
