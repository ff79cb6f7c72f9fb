package io.certloop.custody;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that seals every private key. Its id is an HMAC of a fixed label, so rows can
 * say which master key sealed them without revealing anything about it.
 */
final class MasterKey {

    static final int LENGTH = 32;

    private final SecretKey key;
    private final String id;
    private final String source;

    MasterKey(byte[] bytes, String source) {
        if (bytes.length != LENGTH) {
            throw new CustodyException("master key from " + source + " must be " + LENGTH
                    + " bytes (base64 of 32 random bytes), got " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
        this.source = source;
        this.id = computeId(bytes);
        Arrays.fill(bytes, (byte) 0);
    }

    private static String computeId(byte[] bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
            byte[] tag = mac.doFinal("certloop master key id v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return "mk-" + HexFormat.of().formatHex(tag, 0, 8);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    SecretKey secretKey() {
        return key;
    }

    String id() {
        return id;
    }

    String source() {
        return source;
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + id + ", source=" + source + "]";
    }
}
