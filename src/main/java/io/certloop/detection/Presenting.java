package io.certloop.detection;

import java.time.Instant;

/**
 * An inventory endpoint whose latest recorded probe presented a given certificate or its key.
 *
 * @param why {@link #SAME_CERTIFICATE} or {@link #SAME_KEY} (another certificate for the same public key)
 */
public record Presenting(String endpoint, String leafSha256, String spkiSha256, Instant probedAt, String why) {

    public static final String SAME_CERTIFICATE = "same-certificate";
    public static final String SAME_KEY = "same-key";
}
