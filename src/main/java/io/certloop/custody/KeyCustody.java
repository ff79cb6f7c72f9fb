package io.certloop.custody;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Holds every private key CertLoop generates, sealed at rest, and performs the few operations
 * that need the private half (CSR, CA signatures, handing the key to the deployer) so that the
 * rest of the system works with key ids only. Private key bytes never leave this class except
 * through {@link #writePrivateKeyPem} and {@link #jcaKeyPair}, both for narrowly named callers.
 */
public class KeyCustody {

    private final JdbcTemplate jdbc;
    private final KeySealer sealer;
    private final Clock clock;

    KeyCustody(JdbcTemplate jdbc, MasterKey masterKey, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = new KeySealer(masterKey);
        this.clock = clock;
    }

    /** Generates a key pair server-side and stores its private half sealed. */
    public KeyRef generate(KeySpec spec) {
        return generate(spec, "certificate");
    }

    /**
     * Generates a key pair for a named purpose ("certificate", "ca-root", "acme-account", ...); the
     * purpose is recorded for operators and audits.
     */
    public KeyRef generate(KeySpec spec, String purpose) {
        KeyPair pair = spec.generator().generateKeyPair();
        String id = "key-" + UUID.randomUUID();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        try {
            KeySealer.Sealed sealed = sealer.seal(id, pkcs8);
            Base64.Encoder b64 = Base64.getEncoder();
            jdbc.update(
                    """
                    INSERT INTO custody_key (id, algorithm, purpose, public_key, sealed_private_key, nonce,
                                             master_key_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    id,
                    spec.name(),
                    purpose,
                    b64.encodeToString(pair.getPublic().getEncoded()),
                    b64.encodeToString(sealed.ciphertext()),
                    b64.encodeToString(sealed.nonce()),
                    sealed.masterKeyId(),
                    Timestamp.from(clock.instant()));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        return new KeyRef(id, spec, pair.getPublic());
    }

    /** The public reference of a stored key, if there is one. */
    public Optional<KeyRef> find(String keyId) {
        return jdbc.query(
                "SELECT algorithm, public_key FROM custody_key WHERE id = ?",
                rs -> rs.next()
                        ? Optional.of(toRef(keyId, KeySpec.valueOf(rs.getString(1)), rs.getString(2)))
                        : Optional.<KeyRef>empty(),
                keyId);
    }

    /** Like {@link #find} but a missing key is an error. */
    public KeyRef get(String keyId) {
        return find(keyId).orElseThrow(() -> new UnknownKeyException(keyId));
    }

    /**
     * A CSR for the key: CN is the first name, every name goes into the subjectAltName (DNS names,
     * or IP addresses for literals).
     */
    public Csr createCsr(String keyId, List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("a CSR needs at least one name");
        }
        KeyPair pair = loadKeyPair(keyId);
        KeySpec spec = get(keyId).algorithm();
        return new Csr(keyId, HostKeys.csrDer(pair, spec, names));
    }

    /**
     * A BouncyCastle signer backed by the stored key, for the internal CA (certificates, CRLs, OCSP
     * responses). The signer holds the key in memory only for its own lifetime.
     */
    public ContentSigner contentSigner(String keyId) {
        KeySpec spec = get(keyId).algorithm();
        try {
            return new JcaContentSignerBuilder(spec.signatureAlgorithm())
                    .build(loadKeyPair(keyId).getPrivate());
        } catch (OperatorCreationException e) {
            throw new CustodyException("cannot create a signer for key " + keyId, e);
        }
    }

    /**
     * For the deployer only: writes the private key as PKCS#8 PEM to a new file created with
     * owner-only permissions (rw-------). Fails if the file exists, so a pre-planted symlink or
     * world-readable file is never reused; write to a temporary name and rename.
     */
    public void writePrivateKeyPem(String keyId, Path newFile) {
        try {
            if (newFile.toAbsolutePath()
                    .getFileSystem()
                    .supportedFileAttributeViews()
                    .contains("posix")) {
                Files.createFile(newFile, PosixFilePermissions.asFileAttribute(MasterKeyLoader.OWNER_ONLY));
            } else {
                Files.createFile(newFile);
            }
            try (OutputStream out =
                    Files.newOutputStream(newFile, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writePrivateKeyPem(keyId, out);
            }
        } catch (IOException e) {
            throw new CustodyException(
                    "cannot write the private key of " + keyId + " to " + newFile + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    /** For the deployer only: writes the private key as PKCS#8 PEM to a stream the caller owns. */
    public void writePrivateKeyPem(String keyId, OutputStream out) {
        PrivateKey key = loadKeyPair(keyId).getPrivate();
        try {
            HostKeys.writePkcs8Pem(key, out);
        } catch (IOException e) {
            throw new CustodyException("cannot write the private key of " + keyId, e);
        }
    }

    /**
     * For protocol clients that must sign with a JCA key themselves (the ACME account key used by
     * acme4j). Never log, persist or return the result.
     */
    public KeyPair jcaKeyPair(String keyId) {
        return loadKeyPair(keyId);
    }

    /** Algorithm recorded for secret (symmetric) MAC keys; they have no public half. */
    static final String HMAC_ALGORITHM = "HMAC_SHA256";

    /**
     * The id of the named HMAC-SHA256 key (for example {@code "audit-chain"}), generating and sealing
     * it on first use. Nodes racing to create it agree on one: the id is derived from the name and
     * the loser of the insert reads the winner's row.
     */
    public String macKey(String name) {
        String id = "mac-" + name;
        Integer present = jdbc.queryForObject("SELECT COUNT(*) FROM custody_key WHERE id = ?", Integer.class, id);
        if (present != null && present > 0) {
            return id;
        }
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        try {
            KeySealer.Sealed sealed = sealer.seal(id, secret);
            Base64.Encoder b64 = Base64.getEncoder();
            jdbc.update(
                    """
                    INSERT INTO custody_key (id, algorithm, purpose, public_key, sealed_private_key, nonce,
                                             master_key_id, created_at)
                    SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM custody_key WHERE id = ?)""",
                    id,
                    HMAC_ALGORITHM,
                    name,
                    "",
                    b64.encodeToString(sealed.ciphertext()),
                    b64.encodeToString(sealed.nonce()),
                    sealed.masterKeyId(),
                    Timestamp.from(clock.instant()),
                    id);
        } catch (org.springframework.dao.DuplicateKeyException raced) {
            // another node created it between our check and insert: use theirs
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return id;
    }

    /**
     * HMAC-SHA256 of {@code data} under a key from {@link #macKey}; the key is unsealed only for this
     * computation and never leaves custody.
     */
    public byte[] mac(String keyId, byte[] data) {
        String[] row = jdbc.query(
                "SELECT algorithm, sealed_private_key, nonce, master_key_id FROM custody_key WHERE id = ?",
                rs -> rs.next()
                        ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)}
                        : null,
                keyId);
        if (row == null || !HMAC_ALGORITHM.equals(row[0])) {
            throw new UnknownKeyException(keyId);
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] secret = sealer.unseal(keyId, new KeySealer.Sealed(b64.decode(row[2]), b64.decode(row[1]), row[3]));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new CustodyException("cannot compute a MAC with key " + keyId, e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private KeyPair loadKeyPair(String keyId) {
        record Row(KeySpec spec, String publicKey, String ciphertext, String nonce, String masterKeyId) {
            @Override
            public String toString() {
                return "Row[" + spec + "]";
            }
        }
        Row row = jdbc.query(
                """
                SELECT algorithm, public_key, sealed_private_key, nonce, master_key_id
                FROM custody_key WHERE id = ?""",
                rs -> rs.next()
                        ? new Row(
                                KeySpec.valueOf(rs.getString(1)),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5))
                        : null,
                keyId);
        if (row == null) {
            throw new UnknownKeyException(keyId);
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] pkcs8 = sealer.unseal(
                keyId, new KeySealer.Sealed(b64.decode(row.nonce()), b64.decode(row.ciphertext()), row.masterKeyId()));
        try {
            KeyFactory factory = KeyFactory.getInstance(row.spec().jcaAlgorithm());
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(b64.decode(row.publicKey())));
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new CustodyException("stored key " + keyId + " cannot be decoded", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static KeyRef toRef(String keyId, KeySpec spec, String publicKeyBase64) {
        try {
            PublicKey key = KeyFactory.getInstance(spec.jcaAlgorithm())
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyBase64)));
            return new KeyRef(keyId, spec, key);
        } catch (GeneralSecurityException e) {
            throw new CustodyException("stored public key of " + keyId + " cannot be decoded", e);
        }
    }

    @Override
    public String toString() {
        return "KeyCustody[masterKey=" + sealer.masterKeyId() + "]";
    }
}
