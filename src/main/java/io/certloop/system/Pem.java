package io.certloop.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The one home of PEM in CertLoop, on BouncyCastle's reader and writer: certificates, chains and
 * signing requests. (Private keys are written only inside custody.)
 */
public final class Pem {

    private static final String CERTIFICATE = "CERTIFICATE";

    private Pem() {}

    /** All certificates in a PEM text, in order; other blocks are skipped. Empty text gives an empty list. */
    public static List<X509Certificate> parseCertificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                if (CERTIFICATE.equals(block.getType())) {
                    certificates.add((X509Certificate)
                            factory.generateCertificate(new ByteArrayInputStream(block.getContent())));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + e.getMessage(), e);
        }
        return List.copyOf(certificates);
    }

    public static X509Certificate parseCertificate(String pem) {
        List<X509Certificate> all = parseCertificates(pem);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no certificate in PEM text");
        }
        return all.get(0);
    }

    public static String toPem(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One PEM block of the given type ({@code CERTIFICATE REQUEST}, {@code X509 CRL}...), 64-column lines. */
    public static String encode(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().replace("\r\n", "\n");
    }

    /** Serial number as lower-case hex without leading zeros. */
    public static String serialHex(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }
}
