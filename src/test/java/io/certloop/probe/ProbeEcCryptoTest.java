package io.certloop.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

import javax.crypto.KeyAgreement;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProbeEcCryptoTest {

    @BeforeAll
    static void install() {
        ProbeEcCrypto.install();
    }

    @Test
    void threadsOutsideAProbeKeepTheJdksProviders() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initVerify(ecKeys().getPublic());

        assertThat(generator.getProvider().getName()).isNotEqualTo(ProbeEcCrypto.PROVIDER_NAME);
        assertThat(signature.getProvider().getName()).isNotEqualTo(ProbeEcCrypto.PROVIDER_NAME);
    }

    @Test
    void aProbeThreadGetsBouncyCastleForEcWork() {
        String provider = ProbeEcCrypto.run(() -> {
            try {
                return KeyPairGenerator.getInstance("EC").getProvider().getName();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(provider).isEqualTo(ProbeEcCrypto.PROVIDER_NAME);
        assertThat(ProbeEcCrypto.active()).isFalse();
    }

    @Test
    void aSignatureMadeByTheJdkVerifiesOnAProbeThreadAndATamperedOneDoesNot() throws Exception {
        KeyPair keys = ecKeys();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        byte[] data = "server key exchange".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        signer.update(data);
        byte[] signature = signer.sign();

        assertThat(verifyOnProbeThread(keys, data, signature)).isTrue();
        byte[] tampered = Arrays.copyOf(data, data.length);
        tampered[0] ^= 1;
        assertThat(verifyOnProbeThread(keys, tampered, signature)).isFalse();
    }

    @Test
    void ephemeralKeysAgreeWithTheJdksAndHaveTheTypesJsseExpects() throws Exception {
        KeyPair jdkEc = ecKeys();
        KeyPairGenerator xdh = KeyPairGenerator.getInstance("XDH");
        xdh.initialize(NamedParameterSpec.X25519);
        KeyPair jdkX = xdh.generateKeyPair();

        ProbeEcCrypto.run(() -> {
            try {
                KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
                ec.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair probeEc = ec.generateKeyPair();
                assertThat(probeEc.getPublic()).isInstanceOf(ECPublicKey.class);
                assertThat(agree("ECDH", probeEc, jdkEc.getPublic())).isEqualTo(jdkAgree("ECDH", jdkEc, probeEc.getPublic()));

                KeyPairGenerator x = KeyPairGenerator.getInstance("XDH");
                x.initialize(NamedParameterSpec.X25519);
                KeyPair probeX = x.generateKeyPair();
                assertThat(probeX.getPublic()).isInstanceOf(XECPublicKey.class);
                assertThat(agree("XDH", probeX, jdkX.getPublic())).isEqualTo(jdkAgree("XDH", jdkX, probeX.getPublic()));
                return null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static byte[] agree(String algorithm, KeyPair own, java.security.PublicKey peer) throws Exception {
        KeyAgreement agreement = KeyAgreement.getInstance(algorithm);
        agreement.init(own.getPrivate());
        agreement.doPhase(peer, true);
        assertThat(agreement.getProvider().getName()).isEqualTo(ProbeEcCrypto.PROVIDER_NAME);
        return agreement.generateSecret();
    }

    private static byte[] jdkAgree(String algorithm, KeyPair own, java.security.PublicKey peer) throws Exception {
        KeyAgreement agreement = KeyAgreement.getInstance(algorithm, "SunEC");
        agreement.init(own.getPrivate());
        agreement.doPhase(peer, true);
        return agreement.generateSecret();
    }

    private static boolean verifyOnProbeThread(KeyPair keys, byte[] data, byte[] signature) {
        return ProbeEcCrypto.run(() -> {
            try {
                Signature verifier = Signature.getInstance("SHA256withECDSA");
                verifier.initVerify(keys.getPublic());
                verifier.update(data);
                boolean valid = verifier.verify(signature);
                assertThat(verifier.getProvider().getName()).isEqualTo(ProbeEcCrypto.PROVIDER_NAME);
                return valid;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
