package io.certloop.probe.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's lightweight TLS crypto with three changes: a server certificate's public key is decoded once
 * and the same key object is handed to every later handshake that presents the same key; the X25519 key
 * share is reused for a bounded number of handshakes ({@link ReusedX25519KeyShare}); SHA-2 is the JDK's
 * ({@link JdkDigest}).
 *
 * <p>Why the key cache: the prober sees the same server keys again and again (every detection cycle probes every
 * endpoint), and the server's ECDSA signature check is the largest part of a probe's CPU. BouncyCastle keeps
 * its precomputation for a point on the point object and, from the fourth use of the same point, switches the
 * verification from a windowed double-scalar multiplication to fixed-base combs for both the generator and
 * the key: a P-256 verification drops from about 240 µs to about 105 µs (measured; docs/performance.md).
 * A freshly decoded key never reaches that state.
 *
 * <p>What it does not change: every signature is still verified, against the key in the certificate this
 * server sent now. The cache is keyed by the exact SubjectPublicKeyInfo bytes, so a server presenting another
 * key gets another entry, and holds only public keys. It is bounded (least recently used entries go first).
 */
final class ProbeTlsCrypto extends BcTlsCrypto {

    private static final long KEY_SHARE_LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final BoundedLruCache<ByteBuffer, AsymmetricKeyParameter> keys;
    private final ReusedX25519KeyShare keyShare;

    ProbeTlsCrypto(SecureRandom random, int cachedKeys, int keyShareUses) {
        super(random);
        this.keys = new BoundedLruCache<>(cachedKeys);
        this.keyShare = new ReusedX25519KeyShare(random, keyShareUses, KEY_SHARE_LIFETIME_NANOS, System::nanoTime);
    }

    @Override
    public Digest createDigest(int cryptoHashAlgorithm) {
        return switch (cryptoHashAlgorithm) {
            case CryptoHashAlgorithm.sha256 -> JdkDigest.sha256();
            case CryptoHashAlgorithm.sha384 -> JdkDigest.sha384();
            case CryptoHashAlgorithm.sha512 -> JdkDigest.sha512();
            default -> super.createDigest(cryptoHashAlgorithm);
        };
    }

    @Override
    public Digest cloneDigest(int cryptoHashAlgorithm, Digest digest) {
        return digest instanceof JdkDigest jdk ? jdk.copy() : super.cloneDigest(cryptoHashAlgorithm, digest);
    }

    @Override
    public TlsECDomain createECDomain(TlsECConfig config) {
        return config.getNamedGroup() == NamedGroup.x25519
                ? () -> keyShare.agreement(this)
                : super.createECDomain(config);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        return type == CertificateType.X509
                ? new KeyCachingCertificate(this, encoding)
                : super.createCertificate(type, encoding);
    }

    /** How many distinct server keys are held. */
    int cachedKeys() {
        return keys.size();
    }

    private final class KeyCachingCertificate extends BcTlsCertificate {

        private final byte[] encoding;

        KeyCachingCertificate(BcTlsCrypto crypto, byte[] encoding) throws IOException {
            super(crypto, encoding);
            this.encoding = encoding.clone();
        }

        /** The bytes exactly as the server sent them, not a re-encoding of the parsed certificate. */
        @Override
        public byte[] getEncoded() {
            return encoding.clone();
        }

        @Override
        protected AsymmetricKeyParameter getPublicKey() throws IOException {
            ByteBuffer spki = ByteBuffer.wrap(keyInfo.getEncoded(ASN1Encoding.DER));
            AsymmetricKeyParameter key = keys.get(spki);
            if (key == null) {
                key = super.getPublicKey();
                keys.put(spki, key);
            }
            return key;
        }
    }
}
