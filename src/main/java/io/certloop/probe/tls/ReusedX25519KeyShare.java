package io.certloop.probe.tls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * The probe's X25519 key share: one client key pair serves a bounded number of handshakes and a bounded time,
 * then a fresh one is drawn.
 *
 * <p>Why: generating the key pair was about a fifth of a probe handshake's CPU (measured in steady state,
 * docs/performance.md). A probe connection carries no application data: it reads the certificates a server
 * presents to anyone and closes. What a fresh client key would protect is the secrecy of that session, and there
 * is nothing in it. What it does not weaken: the server's signature (TLS 1.2 ServerKeyExchange, TLS 1.3
 * CertificateVerify) still covers this handshake's fresh client random, so a recorded answer cannot be replayed,
 * and X25519 is safe to use with a static key (RFC 7748: clamped scalars, no small-subgroup leak; an all-zero
 * shared secret is refused). The private key lives only in this object's memory, never in a report or a log.
 *
 * <p>{@code uses = 1} draws a fresh key pair for every handshake.
 */
public final class ReusedX25519KeyShare {

    private final SecureRandom random;
    private final int uses;
    private final long lifetimeNanos;
    private final LongSupplier nanoTime;
    private final AtomicReference<KeyPair> current = new AtomicReference<>();

    ReusedX25519KeyShare(SecureRandom random, int uses, long lifetimeNanos, LongSupplier nanoTime) {
        if (uses < 1) {
            throw new IllegalArgumentException("a key share serves at least one handshake: " + uses);
        }
        this.random = random;
        this.uses = uses;
        this.lifetimeNanos = lifetimeNanos;
        this.nanoTime = nanoTime;
    }

    /** An X25519 agreement for one handshake, on the current key pair. */
    TlsAgreement agreement(TlsCrypto crypto) {
        return new Agreement(crypto);
    }

    private KeyPair take() {
        while (true) {
            KeyPair pair = current.get();
            if (pair != null && pair.take(nanoTime.getAsLong())) {
                return pair;
            }
            KeyPair fresh = KeyPair.generate(random, uses, nanoTime.getAsLong() + lifetimeNanos);
            if (current.compareAndSet(pair, fresh) && fresh.take(nanoTime.getAsLong())) {
                return fresh;
            }
        }
    }

    private static final class KeyPair {

        private final byte[] privateKey;
        private final byte[] publicKey;
        private final AtomicInteger remaining;
        private final long expiresAt;

        private KeyPair(byte[] privateKey, byte[] publicKey, int uses, long expiresAt) {
            this.privateKey = privateKey;
            this.publicKey = publicKey;
            this.remaining = new AtomicInteger(uses);
            this.expiresAt = expiresAt;
        }

        static KeyPair generate(SecureRandom random, int uses, long expiresAt) {
            byte[] privateKey = new byte[X25519.SCALAR_SIZE];
            X25519.generatePrivateKey(random, privateKey);
            byte[] publicKey = new byte[X25519.POINT_SIZE];
            X25519.generatePublicKey(privateKey, 0, publicKey, 0);
            return new KeyPair(privateKey, publicKey, uses, expiresAt);
        }

        boolean take(long now) {
            return now - expiresAt < 0 && remaining.getAndDecrement() > 0;
        }
    }

    private final class Agreement implements TlsAgreement {

        private final TlsCrypto crypto;
        private KeyPair pair;
        private byte[] peer;

        Agreement(TlsCrypto crypto) {
            this.crypto = crypto;
        }

        @Override
        public byte[] generateEphemeral() {
            pair = take();
            return pair.publicKey.clone();
        }

        @Override
        public void receivePeerValue(byte[] peerValue) throws IOException {
            if (peerValue.length != X25519.POINT_SIZE) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter);
            }
            peer = peerValue.clone();
        }

        @Override
        public TlsSecret calculateSecret() throws IOException {
            byte[] secret = new byte[X25519.POINT_SIZE];
            try {
                if (!X25519.calculateAgreement(pair.privateKey, 0, peer, 0, secret, 0)) {
                    throw new TlsFatalAlert(AlertDescription.handshake_failure); // all-zero: a low-order peer point
                }
                return crypto.createSecret(secret);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }
}
