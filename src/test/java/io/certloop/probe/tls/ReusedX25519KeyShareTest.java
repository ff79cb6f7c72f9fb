package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;

class ReusedX25519KeyShareTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(RANDOM);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong now = new AtomicLong();

    @Test
    void aKeyPairServesItsHandshakesThenAFreshOneIsDrawn() throws Exception {
        ReusedX25519KeyShare share = new ReusedX25519KeyShare(RANDOM, 3, MINUTE, now::get);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sent.add(HexFormat.of().formatHex(share.agreement(CRYPTO).generateEphemeral()));
        }

        assertThat(sent.subList(0, 3)).containsOnly(sent.get(0));
        assertThat(sent.subList(3, 6)).containsOnly(sent.get(3));
        assertThat(sent.get(6)).isNotIn(sent.get(0), sent.get(3));
    }

    @Test
    void aKeyPairIsNotUsedAfterItsLifetime() throws Exception {
        ReusedX25519KeyShare share = new ReusedX25519KeyShare(RANDOM, 1000, MINUTE, now::get);

        byte[] first = share.agreement(CRYPTO).generateEphemeral();
        now.addAndGet(MINUTE - 1);
        byte[] beforeExpiry = share.agreement(CRYPTO).generateEphemeral();
        now.addAndGet(1);
        byte[] afterExpiry = share.agreement(CRYPTO).generateEphemeral();

        assertThat(beforeExpiry).isEqualTo(first);
        assertThat(afterExpiry).isNotEqualTo(first);
    }

    @Test
    void oneUseMeansAFreshKeyPairForEveryHandshake() throws Exception {
        ReusedX25519KeyShare share = new ReusedX25519KeyShare(RANDOM, 1, MINUTE, now::get);

        assertThat(share.agreement(CRYPTO).generateEphemeral())
                .isNotEqualTo(share.agreement(CRYPTO).generateEphemeral());
    }

    @Test
    void bothSidesDeriveTheSameSecret() throws Exception {
        ReusedX25519KeyShare share = new ReusedX25519KeyShare(RANDOM, 64, MINUTE, now::get);
        byte[] serverPrivate = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(RANDOM, serverPrivate);
        byte[] serverPublic = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(serverPrivate, 0, serverPublic, 0);

        for (int i = 0; i < 2; i++) { // the second handshake reuses the client key pair
            TlsAgreement client = share.agreement(CRYPTO);
            byte[] clientPublic = client.generateEphemeral();
            client.receivePeerValue(serverPublic);
            byte[] serverSecret = new byte[X25519.POINT_SIZE];
            X25519.calculateAgreement(serverPrivate, 0, clientPublic, 0, serverSecret, 0);

            assertThat(client.calculateSecret().extract()).isEqualTo(serverSecret);
        }
    }

    @Test
    void aLowOrderServerPointIsRefused() throws Exception {
        TlsAgreement client = new ReusedX25519KeyShare(RANDOM, 64, MINUTE, now::get).agreement(CRYPTO);
        client.generateEphemeral();
        client.receivePeerValue(new byte[X25519.POINT_SIZE]); // u = 0: every scalar gives the all-zero secret

        assertThatThrownBy(client::calculateSecret)
                .isInstanceOf(TlsFatalAlert.class)
                .hasMessageContaining("handshake_failure");
    }

    @Test
    void aServerValueOfTheWrongLengthIsRefused() throws Exception {
        TlsAgreement client = new ReusedX25519KeyShare(RANDOM, 64, MINUTE, now::get).agreement(CRYPTO);
        client.generateEphemeral();

        assertThatThrownBy(() -> client.receivePeerValue(new byte[31])).isInstanceOf(TlsFatalAlert.class);
    }

    @Test
    void underConcurrencyNoKeyPairServesMoreHandshakesThanAllowed() throws Exception {
        ReusedX25519KeyShare share = new ReusedX25519KeyShare(RANDOM, 5, MINUTE, now::get);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                results.add(pool.submit(
                        () -> HexFormat.of().formatHex(share.agreement(CRYPTO).generateEphemeral())));
            }
            Map<String, Integer> uses = new HashMap<>();
            for (Future<String> result : results) {
                uses.merge(result.get(), 1, Integer::sum);
            }

            assertThat(uses.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(5));
            assertThat(uses.size()).isGreaterThanOrEqualTo(400);
        } finally {
            pool.shutdownNow();
        }
    }
}
