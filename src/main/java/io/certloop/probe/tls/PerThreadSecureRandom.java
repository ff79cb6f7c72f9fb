package io.certloop.probe.tls;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * The prober's randomness (client randoms, ephemeral keys): one DRBG per thread. The JDK's default
 * {@code NativePRNG} serialises every caller on one global lock around a read of {@code /dev/urandom},
 * which 32 probe threads queue on (seen as JFR monitor waits). Each per-thread DRBG (SHA-256
 * Hash_DRBG) is seeded independently by the JDK's entropy source.
 */
final class PerThreadSecureRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;

    private final transient PerThreadSpi spi;

    PerThreadSecureRandom() {
        this(new PerThreadSpi());
    }

    private PerThreadSecureRandom(PerThreadSpi spi) {
        super(spi, null);
        this.spi = spi;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        spi.engineNextBytes(bytes); // no lock: each thread has its own generator
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        return spi.engineGenerateSeed(numBytes);
    }

    @Override
    public String getAlgorithm() {
        return "DRBG (per thread)";
    }

    private static final class PerThreadSpi extends SecureRandomSpi {

        private static final long serialVersionUID = 1L;

        private final transient ThreadLocal<SecureRandom> generators =
                ThreadLocal.withInitial(PerThreadSpi::newGenerator);

        private static SecureRandom newGenerator() {
            try {
                return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                return new SecureRandom();
            }
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            generators.get().setSeed(seed);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            generators.get().nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            return generators.get().generateSeed(numBytes);
        }
    }
}
