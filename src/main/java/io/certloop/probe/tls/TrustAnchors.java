package io.certloop.probe.tls;

import io.certloop.probe.Certificates;
import io.certloop.system.Fingerprints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * The roots a presented chain is judged against: the JDK's cacerts plus the operator's extra PEM
 * roots (internal CAs). Loaded once; immutable.
 */
public final class TrustAnchors {

    private final Map<X500Principal, List<X509Certificate>> bySubject = new HashMap<>();
    private final Set<String> fingerprints = new HashSet<>();
    private final PKIXParameters template;

    private TrustAnchors(List<X509Certificate> roots) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : roots) {
            if (fingerprints.add(Fingerprints.sha256Hex(root))) {
                bySubject
                        .computeIfAbsent(root.getSubjectX500Principal(), key -> new ArrayList<>())
                        .add(root);
                anchors.add(new TrustAnchor(root, null));
            }
        }
        try {
            template = new PKIXParameters(anchors);
            template.setRevocationEnabled(false); // revocation is checked separately, with its own source
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no trust anchors", e);
        }
    }

    /** JDK roots plus the certificates in the given PEM files. */
    public static TrustAnchors load(List<String> extraRootFiles) {
        return load(extraRootFiles, List.of());
    }

    /** JDK roots, the certificates in the given PEM files, and roots supplied by the application. */
    public static TrustAnchors load(List<String> extraRootFiles, List<X509Certificate> extraRoots) {
        List<X509Certificate> roots = new ArrayList<>(jdkRoots());
        roots.addAll(extraRoots);
        for (String file : extraRootFiles) {
            if (file != null && !file.isBlank()) {
                roots.addAll(readPem(Path.of(file.strip())));
            }
        }
        return new TrustAnchors(roots);
    }

    /** Only the given roots (tests, or an estate that trusts no public CA). */
    public static TrustAnchors of(List<X509Certificate> roots) {
        return new TrustAnchors(roots);
    }

    static List<X509Certificate> readPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read trust roots from " + file, e);
        }
    }

    private static List<X509Certificate> jdkRoots() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return List.of(x509.getAcceptedIssuers());
                }
            }
            return List.of();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the JDK trust store", e);
        }
    }

    boolean contains(X509Certificate certificate) {
        return fingerprints.contains(Fingerprints.sha256Hex(certificate));
    }

    /** A trusted certificate whose key signed this one, or null. */
    X509Certificate issuerOf(X509Certificate certificate) {
        for (X509Certificate candidate : bySubject.getOrDefault(certificate.getIssuerX500Principal(), List.of())) {
            if (Certificates.signedBy(certificate, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A fresh copy of the PKIX parameters (anchors set, revocation off). */
    PKIXParameters parameters() {
        return (PKIXParameters) template.clone();
    }
}
