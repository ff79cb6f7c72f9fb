package io.certloop.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.certloop.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

class KeyCustodyTest {

    private JdbcTemplate jdbc;
    private KeyCustody custody;

    @BeforeEach
    void setUp() {
        jdbc = TestDatabase.migrated();
        custody = CustodyFixtures.custody(jdbc, Clock.systemUTC());
    }

    @Test
    void generatedKeyIsReferencedByIdAndItsPemRoundTripsThroughTheSealedStore() throws Exception {
        KeyRef ref = custody.generate(KeySpec.EC_P256);

        assertThat(ref.id()).startsWith("key-");
        assertThat(ref.publicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(custody.get(ref.id()).publicKey().getEncoded())
                .isEqualTo(ref.publicKey().getEncoded());

        PrivateKey privateKey = privateKeyOf(ref.id());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update("proof".getBytes(StandardCharsets.US_ASCII));
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(ref.publicKey());
        verifier.update("proof".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signer.sign()))
                .as("the unsealed private key belongs to the public key")
                .isTrue();
    }

    @Test
    void storedRowHoldsOnlyCiphertextWithAFreshTwelveByteNoncePerKey() throws Exception {
        KeyRef first = custody.generate(KeySpec.EC_P256);
        KeyRef second = custody.generate(KeySpec.EC_P256);
        byte[] pkcs8 = privateKeyOf(first.id()).getEncoded();

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM custody_key WHERE id = ?", first.id());
        byte[] sealed = Base64.getDecoder().decode((String) row.get("SEALED_PRIVATE_KEY"));
        byte[] nonce = Base64.getDecoder().decode((String) row.get("NONCE"));
        String otherNonce =
                jdbc.queryForObject("SELECT nonce FROM custody_key WHERE id = ?", String.class, second.id());

        assertThat(nonce).hasSize(12);
        assertThat(Base64.getDecoder().decode(otherNonce)).isNotEqualTo(nonce);
        assertThat(sealed).hasSize(pkcs8.length + 16).isNotEqualTo(pkcs8);
        assertThat(row.values().toString())
                .doesNotContain(Base64.getEncoder().encodeToString(pkcs8))
                .doesNotContain(HexFormat.of().formatHex(pkcs8));
    }

    @Test
    void sealedKeyMovedToAnotherIdCannotBeOpened() {
        KeyRef victim = custody.generate(KeySpec.EC_P256);
        KeyRef attacker = custody.generate(KeySpec.EC_P256);
        jdbc.update("""
                UPDATE custody_key SET sealed_private_key = (SELECT sealed_private_key FROM custody_key WHERE id = ?),
                                       nonce = (SELECT nonce FROM custody_key WHERE id = ?) WHERE id = ?""", victim.id(), victim.id(), attacker.id());

        assertThatThrownBy(() -> custody.contentSigner(attacker.id()))
                .isInstanceOf(MasterKeyMismatchException.class)
                .hasMessageContaining(attacker.id())
                .hasMessageContaining("altered or moved");
    }

    @Test
    void wrongMasterKeyFailsClearlyNamingBothMasterKeys() {
        KeyRef ref = custody.generate(KeySpec.EC_P256);
        KeyCustody withOtherMasterKey = CustodyFixtures.custody(jdbc, Clock.systemUTC());

        assertThatThrownBy(() -> withOtherMasterKey.writePrivateKeyPem(ref.id(), new ByteArrayOutputStream()))
                .isInstanceOf(MasterKeyMismatchException.class)
                .hasMessageContaining("cannot open key " + ref.id())
                .hasMessageMatching(
                        ".*sealed by master key mk-[0-9a-f]{16} but the configured master key \\(test\\) is mk-[0-9a-f]{16}.*");
        assertThat(withOtherMasterKey.get(ref.id()).id())
                .as("public data stays readable")
                .isEqualTo(ref.id());
    }

    @Test
    void unknownKeyIsReportedByItsId() {
        assertThatThrownBy(() -> custody.createCsr("key-missing", java.util.List.of("a.test")))
                .isInstanceOf(UnknownKeyException.class)
                .hasMessageContaining("key-missing");
        assertThat(custody.find("key-missing")).isEmpty();
    }

    @Test
    void csrIsSignedByTheKeyAndNamesEveryRequestedName() throws Exception {
        KeyRef ref = custody.generate(KeySpec.RSA_2048);

        Csr csr = custody.createCsr(ref.id(), java.util.List.of("svc.example.test", "alt.example.test", "10.0.0.7"));

        PKCS10CertificationRequest parsed = new PKCS10CertificationRequest(csr.der());
        assertThat(parsed.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ref.publicKey())))
                .isTrue();
        assertThat(parsed.getSubject().toString()).isEqualTo("CN=svc.example.test");
        assertThat(parsed.getSubjectPublicKeyInfo().getEncoded())
                .isEqualTo(ref.publicKey().getEncoded());
        Extensions extensions =
                Extensions.getInstance(parsed.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                        .getAttrValues()
                        .getObjectAt(0));
        GeneralName[] sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName)
                .getNames();
        assertThat(sans)
                .extracting(GeneralName::toString)
                .containsExactly("2: svc.example.test", "2: alt.example.test", "7: #0a000007");
        assertThat(csr.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n");
        assertThat(ref.publicKey()).isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) ref.publicKey()).getModulus().bitLength()).isEqualTo(2048);
    }

    @Test
    void rsa3072KeysHaveTheRequestedSize() {
        KeyRef ref = custody.generate(KeySpec.RSA_3072);
        assertThat(((RSAPublicKey) custody.get(ref.id()).publicKey())
                        .getModulus()
                        .bitLength())
                .isEqualTo(3072);
    }

    @Test
    void privateKeyFileForTheDeployerIsOwnerOnlyAndNeverOverwritten(@TempDir Path dir) throws Exception {
        KeyRef ref = custody.generate(KeySpec.EC_P256);
        Path file = dir.resolve("tls.key");

        custody.writePrivateKeyPem(ref.id(), file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThatThrownBy(() -> custody.writePrivateKeyPem(ref.id(), file))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("FileAlreadyExistsException")
                .hasMessageNotContaining("PRIVATE KEY");
    }

    @Test
    void toStringsShowNoKeyMaterial() throws Exception {
        KeyRef ref = custody.generate(KeySpec.EC_P256);
        String privateBase64 =
                Base64.getEncoder().encodeToString(privateKeyOf(ref.id()).getEncoded());
        String printed = ref + " " + custody + " " + custody.createCsr(ref.id(), java.util.List.of("x.test"));

        assertThat(printed)
                .doesNotContain(privateBase64)
                .doesNotContain(privateBase64.substring(40, 80))
                .contains(ref.id());
    }

    private PrivateKey privateKeyOf(String keyId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        custody.writePrivateKeyPem(keyId, out);
        try (PEMParser parser = new PEMParser(new StringReader(out.toString(StandardCharsets.US_ASCII)))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }
}
