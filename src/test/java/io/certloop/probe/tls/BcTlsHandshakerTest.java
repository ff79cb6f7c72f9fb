package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.crypto.DHGroup;
import org.junit.jupiter.api.Test;

/** What the BouncyCastle handshake reports and accepts, without a server. */
class BcTlsHandshakerTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void protocolsAndSuitesAreReportedInTheJsseSpelling() {
        assertThat(BcTlsHandshaker.protocolName(ProtocolVersion.TLSv12)).isEqualTo("TLSv1.2");
        assertThat(BcTlsHandshaker.protocolName(ProtocolVersion.TLSv13)).isEqualTo("TLSv1.3");
        assertThat(BcTlsHandshaker.cipherName(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384))
                .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        assertThat(BcTlsHandshaker.cipherName(CipherSuite.TLS_AES_128_GCM_SHA256))
                .isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(BcTlsHandshaker.cipherName(0xFAFA)).isEqualTo("0xFAFA");
    }

    @Test
    void aServersOwnDheGroupOf2048BitsIsAcceptedLikeJsseDoes() {
        BigInteger p = BigInteger.probablePrime(2048, RANDOM);

        assertThat(BcTlsHandshaker.DH_GROUPS.accept(new DHGroup(p, null, BigInteger.TWO, 0)))
                .isTrue();
    }

    @Test
    void aDheGroupBelow1024BitsIsRefusedLikeJsseDoes() {
        BigInteger p = BigInteger.probablePrime(768, RANDOM);

        assertThat(BcTlsHandshaker.DH_GROUPS.accept(new DHGroup(p, null, BigInteger.TWO, 0)))
                .isFalse();
    }

    @Test
    void aDegenerateGeneratorIsRefused() {
        BigInteger p = BigInteger.probablePrime(2048, RANDOM);

        assertThat(BcTlsHandshaker.DH_GROUPS.accept(new DHGroup(p, null, BigInteger.ONE, 0)))
                .isFalse();
        assertThat(BcTlsHandshaker.DH_GROUPS.accept(new DHGroup(p, null, p.subtract(BigInteger.ONE), 0)))
                .isFalse();
    }
}
