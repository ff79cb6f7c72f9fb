package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JDK-backed digest gives BouncyCastle's results, also through copies, resets and BouncyCastle's HMAC. */
class JdkDigestTest {

    private final Random random = new Random(42);

    @ParameterizedTest
    @ValueSource(strings = {"SHA-256", "SHA-384", "SHA-512"})
    void sameDigestsAsBouncyCastleThroughCopiesAndResets(String algorithm) {
        for (int round = 0; round < 50; round++) {
            byte[] first = bytes(random.nextInt(300));
            byte[] second = bytes(random.nextInt(300));
            Digest ours = jdk(algorithm).get();
            Digest theirs = bouncyCastle(algorithm).get();

            ours.update(first, 0, first.length);
            theirs.update(first, 0, first.length);
            Digest oursCopy = ((JdkDigest) ours).copy();
            ours.update(second, 0, second.length);
            theirs.update(second, 0, second.length);

            assertThat(ours.getAlgorithmName()).isEqualTo(theirs.getAlgorithmName());
            assertThat(ours.getDigestSize()).isEqualTo(theirs.getDigestSize());
            assertThat(doFinal(ours)).isEqualTo(doFinal(theirs));
            // the copy was taken after `first` only; finishing the original did not touch it
            Digest firstOnly = bouncyCastle(algorithm).get();
            firstOnly.update(first, 0, first.length);
            assertThat(doFinal(oursCopy)).isEqualTo(doFinal(firstOnly));
            // doFinal resets: the digest is ready for new input
            ours.update((byte) 7);
            theirs.update((byte) 7);
            assertThat(doFinal(ours)).isEqualTo(doFinal(theirs));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA-256", "SHA-384", "SHA-512"})
    void sameHmacAsBouncyCastle(String algorithm) {
        for (int round = 0; round < 20; round++) {
            byte[] key = bytes(1 + random.nextInt(200));
            byte[] message = bytes(random.nextInt(500));
            HMac ours = new HMac(jdk(algorithm).get());
            HMac theirs = new HMac(bouncyCastle(algorithm).get());
            ours.init(new KeyParameter(key));
            theirs.init(new KeyParameter(key));

            for (int twice = 0; twice < 2; twice++) { // the second MAC starts from the memoised pad states
                ours.update(message, 0, message.length);
                theirs.update(message, 0, message.length);
                byte[] a = new byte[ours.getMacSize()];
                byte[] b = new byte[theirs.getMacSize()];
                ours.doFinal(a, 0);
                theirs.doFinal(b, 0);
                assertThat(a).isEqualTo(b);
            }
        }
    }

    private static Supplier<Digest> jdk(String algorithm) {
        return switch (algorithm) {
            case "SHA-256" -> JdkDigest::sha256;
            case "SHA-384" -> JdkDigest::sha384;
            default -> JdkDigest::sha512;
        };
    }

    private static Supplier<Digest> bouncyCastle(String algorithm) {
        return switch (algorithm) {
            case "SHA-256" -> SHA256Digest::new;
            case "SHA-384" -> SHA384Digest::new;
            default -> SHA512Digest::new;
        };
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] doFinal(Digest digest) {
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }
}
