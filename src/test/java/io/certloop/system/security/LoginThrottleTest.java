package io.certloop.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginThrottleProperties(5, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(15)),
            clock);

    @Test
    void theFirstFailuresAreFreeThenTheWaitDoublesFromTheBase() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("192.0.2.1");
        }
        assertThat(throttle.blocked("192.0.2.1")).isEmpty();
        throttle.failed("192.0.2.1");
        assertThat(throttle.blocked("192.0.2.1")).contains(Duration.ofSeconds(1));
        throttle.failed("192.0.2.1");
        assertThat(throttle.blocked("192.0.2.1")).contains(Duration.ofSeconds(2));
        throttle.failed("192.0.2.1");
        assertThat(throttle.blocked("192.0.2.1")).contains(Duration.ofSeconds(4));
        assertThat(throttle.blocked("198.51.100.7"))
                .as("another address is not affected")
                .isEmpty();
    }

    @Test
    void theWaitIsCappedAndEndsHoweverManyFailuresThereWere() {
        for (int i = 0; i < 1000; i++) {
            throttle.failed("192.0.2.1");
        }
        assertThat(throttle.blocked("192.0.2.1")).contains(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(61));
        assertThat(throttle.blocked("192.0.2.1"))
                .as("a throttle, never a permanent lock")
                .isEmpty();
    }

    @Test
    void failuresAreForgottenAfterTheWindow() {
        for (int i = 0; i < 8; i++) {
            throttle.failed("192.0.2.1");
        }
        clock.advance(Duration.ofMinutes(16));
        throttle.failed("192.0.2.1");
        assertThat(throttle.blocked("192.0.2.1")).as("counting starts again").isEmpty();
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
