package io.certloop.custody;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a fresh 96-bit nonce per seal and the key id as associated data, so a sealed
 * key cannot be swapped onto another id unnoticed.
 */
final class KeySealer {

    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKey masterKey;
    private final SecureRandom random = new SecureRandom();

    KeySealer(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    record Sealed(byte[] nonce, byte[] ciphertext, String masterKeyId) {
        @Override
        public String toString() {
            return "Sealed[masterKeyId=" + masterKeyId + ", " + ciphertext.length + " bytes]";
        }
    }

    Sealed seal(String keyId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, masterKey.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return new Sealed(nonce, cipher.doFinal(plaintext), masterKey.id());
        } catch (GeneralSecurityException e) {
            throw new CustodyException("cannot seal key " + keyId, e);
        }
    }

    byte[] unseal(String keyId, Sealed sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, masterKey.secretKey(), new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            String why = sealed.masterKeyId().equals(masterKey.id())
                    ? "the stored ciphertext was altered or moved from another key id"
                    : "it was sealed by master key " + sealed.masterKeyId() + " but the configured master key ("
                            + masterKey.source() + ") is " + masterKey.id();
            throw new MasterKeyMismatchException("cannot open key " + keyId + ": " + why, e);
        } catch (GeneralSecurityException e) {
            throw new CustodyException("cannot unseal key " + keyId, e);
        }
    }

    String masterKeyId() {
        return masterKey.id();
    }
}
