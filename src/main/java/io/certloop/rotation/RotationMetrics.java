package io.certloop.rotation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * {@code certloop_rotation_endpoints{state}}: endpoints of rotations still going (running, paused, halted, awaiting
 * approval) per state, so a dashboard shows a mass rotation's progress and a stalled one. Read from the records at
 * most once a second, however often it is scraped.
 */
@Component
class RotationMetrics {

    static final String ENDPOINTS = "certloop.rotation.endpoints";

    RotationMetrics(MeterRegistry registry, RotationService rotations) {
        Supplier<Map<EndpointState, Long>> counts = new Cached(rotations::countsOfUnfinished);
        for (EndpointState state : EndpointState.values()) {
            Gauge.builder(ENDPOINTS, () -> counts.get().getOrDefault(state, 0L))
                    .tag("state", state.value())
                    .description("Endpoints of unfinished mass rotations, by state")
                    .register(registry);
        }
    }

    /** One query serves the four gauges of a scrape. */
    private static final class Cached implements Supplier<Map<EndpointState, Long>> {
        private final Supplier<Map<EndpointState, Long>> source;
        private Map<EndpointState, Long> value = Map.of();
        private long readAt;

        Cached(Supplier<Map<EndpointState, Long>> source) {
            this.source = source;
        }

        @Override
        public synchronized Map<EndpointState, Long> get() {
            long now = System.nanoTime();
            if (readAt == 0 || now - readAt > Duration.ofSeconds(1).toNanos()) {
                value = source.get();
                readAt = now;
            }
            return value;
        }
    }
}
