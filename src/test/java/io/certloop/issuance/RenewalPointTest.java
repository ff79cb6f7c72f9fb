package io.certloop.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RenewalPointTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-03T00:00:00Z");
    private static final Duration CYCLE = Duration.ofMinutes(5);

    @Test
    void thePointLiesInsideTheWindowAndLeavesOneCycleBeforeItsEnd() {
        for (int i = 0; i < 500; i++) {
            Instant point = RenewalPoint.choose("cert-" + i, START, END, CYCLE);
            assertThat(point).isAfterOrEqualTo(START).isBefore(END.minus(CYCLE));
        }
    }

    @Test
    void theSameCertificateAndWindowAlwaysGiveTheSamePoint() {
        assertThat(RenewalPoint.choose("abc", START, END, CYCLE))
                .isEqualTo(RenewalPoint.choose("abc", START, END, CYCLE));
    }

    @Test
    void aMovedWindowGetsAPointOfItsOwn() {
        Instant earlierStart = START.minus(Duration.ofDays(20));
        Instant earlierEnd = END.minus(Duration.ofDays(20));
        Instant point = RenewalPoint.choose("abc", earlierStart, earlierEnd, CYCLE);
        assertThat(point).isAfterOrEqualTo(earlierStart).isBefore(earlierEnd);
    }

    @Test
    void pointsOfManyCertificatesSpreadOverTheWholeWindow() {
        long span = Duration.between(START, END.minus(CYCLE)).toMillis();
        long[] quarters = new long[4];
        IntStream.range(0, 2000).forEach(i -> {
            long offset = Duration.between(START, RenewalPoint.choose("sha-" + i, START, END, CYCLE))
                    .toMillis();
            quarters[(int) (offset * 4 / span)]++;
        });
        // uniform: about 500 per quarter; a lopsided choice (all at the start) would leave quarters empty
        for (long count : quarters) {
            assertThat(count).isBetween(400L, 600L);
        }
    }

    @Test
    void aWindowNoLongerThanACycleIsTakenAtItsStart() {
        Instant end = START.plus(Duration.ofMinutes(3));
        assertThat(RenewalPoint.choose("abc", START, end, CYCLE)).isEqualTo(START);
    }

    @Test
    void theNextQuestionFollowsRetryAfterWithinTheBounds() {
        Instant now = START;
        Duration usual = Duration.ofHours(6);
        Duration min = Duration.ofMinutes(1);
        Duration max = Duration.ofDays(1);
        assertThat(RenewalPoint.nextCheck(now, now.plus(Duration.ofHours(2)), usual, min, max))
                .as("the CA's Retry-After")
                .isEqualTo(now.plus(Duration.ofHours(2)));
        assertThat(RenewalPoint.nextCheck(now, null, usual, min, max))
                .as("no Retry-After: the usual interval")
                .isEqualTo(now.plus(usual));
        assertThat(RenewalPoint.nextCheck(now, now.plusSeconds(1), usual, min, max))
                .as("a CA asking to be asked every second is asked once a minute")
                .isEqualTo(now.plus(min));
        assertThat(RenewalPoint.nextCheck(now, now.plus(Duration.ofDays(30)), usual, min, max))
                .as("a CA asking to be left alone for a month is still asked daily")
                .isEqualTo(now.plus(max));
    }
}
