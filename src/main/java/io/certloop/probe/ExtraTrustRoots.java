package io.certloop.probe;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Roots the probe trusts besides the JDK's and the configured PEM files, supplied by the
 * application (for example CertLoop's own internal CA), so the probe does not depend on issuance.
 */
@FunctionalInterface
public interface ExtraTrustRoots {

    List<X509Certificate> roots();
}
