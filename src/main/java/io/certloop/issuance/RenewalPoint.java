package io.certloop.issuance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;

/**
 * Where inside a suggested window CertLoop starts the replacement. RFC 9773 asks clients to pick a uniformly random
 * time within the window, so a CA's whole customer base does not renew in the same minute. The point here is
 * uniform over certificates but derived from the certificate's fingerprint and the window, not from a random
 * generator: every node and every cycle chooses the same point for the same window (no flapping decision), a test
 * knows it in advance, and a moved window gets a new point. The caller's cycle is kept free at the end of the
 * window (as acme4j's {@code RenewalInfo.getRandomProposal(frequency)} does), so a point is never chosen where no
 * cycle can catch it before the window closes.
 */
public final class RenewalPoint {

    private RenewalPoint() {}

    /**
     * The chosen point: {@code start} plus a fraction (from {@code seed}) of the window less {@code cycle}; the start
     * itself when the window is not longer than a cycle.
     */
    public static Instant choose(String seed, Instant start, Instant end, Duration cycle) {
        Instant latest = end.minus(cycle == null || cycle.isNegative() ? Duration.ZERO : cycle);
        if (!latest.isAfter(start)) {
            return start;
        }
        long spanMillis = Duration.between(start, latest).toMillis();
        return start.plusMillis((long) (fraction(seed + '|' + start + '|' + end) * spanMillis));
    }

    /** A number in [0, 1) from the first 53 bits of the SHA-256 of {@code text}. */
    static double fraction(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
            }
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * When to ask the CA again: its Retry-After when it sent one, otherwise {@code usual}; never sooner than
     * {@code min} and never later than {@code max} from {@code now}.
     */
    public static Instant nextCheck(Instant now, Instant retryAfter, Duration usual, Duration min, Duration max) {
        Instant wanted = retryAfter != null ? retryAfter : now.plus(usual);
        Instant earliest = now.plus(min);
        Instant latest = now.plus(max);
        if (wanted.isBefore(earliest)) {
            return earliest;
        }
        return wanted.isAfter(latest) ? latest : wanted;
    }
}
