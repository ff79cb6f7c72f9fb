package io.certloop.custody;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;

/**
 * The key types CertLoop generates. A closed list on purpose: every profile, CSR and CA signature
 * must know which signature algorithm goes with a key, and legacy or exotic types stay out.
 */
public enum KeySpec {
    EC_P256("EC", "SHA256withECDSA"),
    RSA_2048("RSA", "SHA256withRSA"),
    RSA_3072("RSA", "SHA256withRSA");

    private final String jcaAlgorithm;
    private final String signatureAlgorithm;

    KeySpec(String jcaAlgorithm, String signatureAlgorithm) {
        this.jcaAlgorithm = jcaAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** JCA key algorithm name ("EC" or "RSA"). */
    public String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    /** Signature algorithm used when this key signs (CSR, certificate, CRL, OCSP). */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** Parses "EC_P256", "ec-p256", "RSA_2048", "rsa-3072", ... */
    public static KeySpec parse(String value) {
        String normal = value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return KeySpec.valueOf(normal);
    }

    KeyPairGenerator generator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaAlgorithm);
            switch (this) {
                case EC_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"));
                case RSA_2048 -> generator.initialize(2048);
                case RSA_3072 -> generator.initialize(3072);
            }
            return generator;
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new CustodyException("JCA cannot generate " + this, e);
        }
    }
}
