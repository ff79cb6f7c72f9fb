package io.certloop.probe.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.util.Memoable;

/**
 * A BouncyCastle {@link ExtendedDigest} computed by the JDK's {@link MessageDigest}, for the probe's handshake
 * hashes, PRF and HMACs. Why: HotSpot compiles the JDK's SHA-2 to the CPU's SHA instructions where it has them
 * (and to tuned code where it does not); BouncyCastle's SHA-2 is portable Java. Same bytes in, same digest out:
 * a test compares both on random input, through copies and resets.
 *
 * <p>{@link Memoable} lets BouncyCastle's HMAC keep its inner and outer pad states instead of rehashing them.
 */
final class JdkDigest implements ExtendedDigest, Memoable {

    private final String name;
    private final int blockSize;
    private MessageDigest digest;

    private JdkDigest(String name, int blockSize, MessageDigest digest) {
        this.name = name;
        this.blockSize = blockSize;
        this.digest = digest;
    }

    static JdkDigest sha256() {
        return create("SHA-256", 64);
    }

    static JdkDigest sha384() {
        return create("SHA-384", 128);
    }

    static JdkDigest sha512() {
        return create("SHA-512", 128);
    }

    private static JdkDigest create(String name, int blockSize) {
        try {
            return new JdkDigest(name, blockSize, MessageDigest.getInstance(name));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
    }

    @Override
    public String getAlgorithmName() {
        return name;
    }

    @Override
    public int getDigestSize() {
        return digest.getDigestLength();
    }

    @Override
    public int getByteLength() {
        return blockSize;
    }

    @Override
    public void update(byte in) {
        digest.update(in);
    }

    @Override
    public void update(byte[] in, int offset, int length) {
        digest.update(in, offset, length);
    }

    @Override
    public int doFinal(byte[] out, int offset) {
        byte[] result = digest.digest();
        System.arraycopy(result, 0, out, offset, result.length);
        return result.length;
    }

    @Override
    public void reset() {
        digest.reset();
    }

    @Override
    public JdkDigest copy() {
        return new JdkDigest(name, blockSize, cloneOf(digest));
    }

    @Override
    public void reset(Memoable other) {
        digest = cloneOf(((JdkDigest) other).digest);
    }

    private static MessageDigest cloneOf(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's " + digest.getAlgorithm() + " cannot be cloned", e);
        }
    }
}
