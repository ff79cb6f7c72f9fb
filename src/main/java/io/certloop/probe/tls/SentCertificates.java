package io.certloop.probe.tls;

import io.certloop.probe.CertificateDetails;
import io.certloop.probe.Certificates;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates as servers send them (DER), parsed and described once per exact encoding. The detection loop
 * sees the same certificates every cycle; parsing them and rendering names, SANs and fingerprints again each
 * time was a visible share of a probe's CPU. Same bytes, same certificate: nothing that depends on time or on
 * the endpoint is kept here.
 */
final class SentCertificates {

    /** One sent certificate: the parsed form and the facts a report carries. */
    record Sent(X509Certificate certificate, CertificateDetails details) {}

    private final BoundedLruCache<ByteBuffer, Sent> cache;

    SentCertificates(int capacity) {
        this.cache = new BoundedLruCache<>(capacity);
    }

    /** The certificates in the order sent; fails if one of them is not an X.509 certificate. */
    List<Sent> parse(List<byte[]> encoded) throws CertificateException {
        List<Sent> sent = new ArrayList<>(encoded.size());
        for (byte[] der : encoded) {
            sent.add(parse(der));
        }
        return List.copyOf(sent);
    }

    private Sent parse(byte[] der) throws CertificateException {
        ByteBuffer key = ByteBuffer.wrap(der);
        Sent known = cache.get(key);
        if (known != null) {
            return known;
        }
        X509Certificate certificate = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        Sent parsed = new Sent(certificate, Certificates.details(certificate));
        cache.put(key, parsed);
        return parsed;
    }
}
