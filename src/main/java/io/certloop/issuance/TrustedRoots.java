package io.certloop.issuance;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A source of root certificates CertLoop knows (its own internal CA); submitted chains may link up
 * to one of them. Kept as a small port so the admin-mediated path does not depend on the CA code.
 */
public interface TrustedRoots {

    List<X509Certificate> roots();
}
