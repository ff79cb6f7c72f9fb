package io.certloop.probe;

import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.function.Supplier;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Elliptic-curve arithmetic for the prober's own threads, on BouncyCastle.
 *
 * <p>Why: on JDK 17 the JDK's EC code (SunEC, pure Java since JDK 16) takes about 1.4-2.4 ms to verify
 * one P-256 ECDSA signature and 0.7-1.2 ms per P-256 key generation or ECDH agreement; BouncyCastle
 * (already a dependency) does each in 0.2-0.4 ms. A TLS handshake with an ECDHE + ECDSA server spends
 * almost all of the prober's CPU there (measured with JFR), so this is what limits probes per second.
 *
 * <p>How, without changing the rest of the JVM: JSSE looks its algorithms up through the global provider
 * list, so this provider sits first in that list, but it only hands out implementations to a thread that
 * is inside {@link #run}; everywhere else (issuance, custody, the web server's own TLS) its
 * {@code newInstance} refuses and the JCA falls through to the JDK's providers as before. It offers
 * EC and XDH (X25519/X448) key generation and agreement and ECDSA only; RSA, EdDSA, digests and
 * ciphers stay with the JDK.
 */
final class ProbeEcCrypto {

    static final String PROVIDER_NAME = "CertLoopProbeEC";

    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();
    private static final List<String[]> SERVICES = List.of(
            new String[] {"KeyPairGenerator", "EC"},
            new String[] {"KeyAgreement", "ECDH"},
            new String[] {"KeyPairGenerator", "XDH"},
            new String[] {"KeyAgreement", "XDH"},
            new String[] {"Signature", "SHA256withECDSA"},
            new String[] {"Signature", "SHA384withECDSA"},
            new String[] {"Signature", "SHA512withECDSA"},
            new String[] {"Signature", "SHA224withECDSA"},
            new String[] {"Signature", "SHA1withECDSA"});

    private ProbeEcCrypto() {
    }

    /** Registers the provider once per JVM (first in the list; inert outside {@link #run}). */
    static synchronized void install() {
        if (Security.getProvider(PROVIDER_NAME) == null) {
            Security.insertProviderAt(new ScopedProvider(new BouncyCastleProvider()), 1);
        }
    }

    static boolean installed() {
        return Security.getProvider(PROVIDER_NAME) != null;
    }

    /** Runs the work with this thread's EC operations on BouncyCastle (when installed). */
    static <T> T run(Supplier<T> work) {
        if (Boolean.TRUE.equals(ACTIVE.get())) {
            return work.get();
        }
        ACTIVE.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            ACTIVE.remove();
        }
    }

    static boolean active() {
        return Boolean.TRUE.equals(ACTIVE.get());
    }

    private static final class ScopedProvider extends Provider {

        private static final long serialVersionUID = 1L;

        ScopedProvider(Provider delegate) {
            super(PROVIDER_NAME, "1.0", "BouncyCastle EC for CertLoop probe threads only");
            for (String[] entry : SERVICES) {
                Provider.Service service = delegate.getService(entry[0], entry[1]);
                if (service == null) {
                    throw new IllegalStateException("BouncyCastle offers no " + entry[0] + "." + entry[1]);
                }
                putService(new ScopedService(this, service));
            }
        }
    }

    private static final class ScopedService extends Provider.Service {

        private final Provider.Service delegate;

        ScopedService(Provider provider, Provider.Service delegate) {
            super(provider, delegate.getType(), delegate.getAlgorithm(), delegate.getClassName(), null, null);
            this.delegate = delegate;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            if (!active()) {
                // not a probe thread: the JCA moves on to the next provider (the JDK's)
                throw new NoSuchAlgorithmException(PROVIDER_NAME + " serves probe threads only");
            }
            return delegate.newInstance(constructorParameter);
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            if (!active()) {
                return false;
            }
            try {
                return delegate.supportsParameter(parameter);
            } catch (InvalidParameterException e) {
                return false;
            }
        }
    }
}
