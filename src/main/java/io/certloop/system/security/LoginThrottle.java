package io.certloop.system.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address. The first few failures are free; after them every further failure makes the
 * address wait, doubling from {@code delayBase} up to {@code delayMax}, never longer: a throttle, not a lock.
 * Failures are forgotten {@code forgetAfter} the last one. Per user, the engine throttles too (its login delay,
 * with the permanent lock switched off), so guessing one password from many addresses is slowed as well.
 */
public class LoginThrottle {

    private record State(int failures, Instant lastFailure, Instant blockedUntil) {}

    private static final int MAX_ADDRESSES = 100_000;

    private final LoginThrottleProperties properties;
    private final Clock clock;
    private final Map<String, State> byAddress = new ConcurrentHashMap<>();

    public LoginThrottle(LoginThrottleProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** How long the address must still wait, if at all. */
    public Optional<Duration> blocked(String address) {
        State state = current(address);
        Instant now = clock.instant();
        return state == null
                        || state.blockedUntil() == null
                        || !state.blockedUntil().isAfter(now)
                ? Optional.empty()
                : Optional.of(Duration.between(now, state.blockedUntil()));
    }

    /** A login with credentials from this address failed. */
    public void failed(String address) {
        Instant now = clock.instant();
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.entrySet().removeIf(entry -> forgotten(entry.getValue(), now));
        }
        byAddress.compute(address, (key, state) -> {
            int failures = (state == null || forgotten(state, now) ? 0 : state.failures()) + 1;
            int over = failures - properties.freeFailures();
            Instant blockedUntil = over <= 0 ? null : now.plus(delay(over));
            return new State(failures, now, blockedUntil);
        });
    }

    private Duration delay(int over) {
        Duration max = properties.delayMax();
        Duration delay = properties.delayBase();
        for (int i = 1; i < over && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private State current(String address) {
        State state = byAddress.get(address);
        if (state != null && forgotten(state, clock.instant())) {
            byAddress.remove(address, state);
            return null;
        }
        return state;
    }

    private boolean forgotten(State state, Instant now) {
        return state.lastFailure().plus(properties.forgetAfter()).isBefore(now);
    }
}
