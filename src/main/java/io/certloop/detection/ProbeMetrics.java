package io.certloop.detection;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Prometheus view of the estate: per endpoint the seconds until the presented leaf expires and
 * whether the last probe completed a handshake; per finding code how many endpoints have it open.
 */
@Component
class ProbeMetrics {

    static final String EXPIRY = "certloop.probe.leaf.expiry";
    static final String LAST_SUCCESS = "certloop.probe.last.success";
    static final String OPEN_FINDINGS = "certloop.probe.open.findings";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, EndpointState> endpoints = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> openByEndpoint = new ConcurrentHashMap<>();

    /** Last observation of one endpoint; strongly held here (gauges keep only weak references). */
    private static final class EndpointState {
        volatile double notAfterEpochSeconds = Double.NaN;
        volatile double success;
        List<Meter> meters = List.of();

        double secondsLeft(Clock clock) {
            return Double.isNaN(notAfterEpochSeconds) ? Double.NaN : notAfterEpochSeconds - clock.instant().getEpochSecond();
        }
    }

    ProbeMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (String code : FindingCodes.ALL) {
            Gauge.builder(OPEN_FINDINGS, openByEndpoint, open -> count(open.values(), code))
                    .tag("code", code).description("Inventory endpoints with this finding standing").register(registry);
        }
    }

    void recordProbe(String endpoint, ProbeReport report) {
        EndpointState state = endpoints.computeIfAbsent(endpoint, this::register);
        state.success = report.reachable() ? 1 : 0;
        state.notAfterEpochSeconds = report.leaf() == null ? Double.NaN : report.leaf().notAfter().getEpochSecond();
    }

    void recordFailure(String endpoint) {
        EndpointState state = endpoints.computeIfAbsent(endpoint, this::register);
        state.success = 0;
        state.notAfterEpochSeconds = Double.NaN;
    }

    void openFindings(long endpointId, Collection<String> codes) {
        if (codes.isEmpty()) {
            openByEndpoint.remove(endpointId);
        } else {
            openByEndpoint.put(endpointId, Set.copyOf(codes));
        }
    }

    /** Drops series of endpoints that left the inventory. */
    void retain(Set<String> endpointNames, Set<Long> endpointIds) {
        endpoints.keySet().removeIf(name -> {
            if (endpointNames.contains(name)) {
                return false;
            }
            endpoints.get(name).meters.forEach(registry::remove);
            return true;
        });
        openByEndpoint.keySet().retainAll(endpointIds);
    }

    private EndpointState register(String endpoint) {
        EndpointState state = new EndpointState();
        state.meters = List.of(
                Gauge.builder(EXPIRY, state, s -> s.secondsLeft(clock)).tag("endpoint", endpoint).baseUnit("seconds")
                        .description("Seconds until the leaf presented at the last probe expires (negative: expired)")
                        .register(registry),
                Gauge.builder(LAST_SUCCESS, state, s -> s.success).tag("endpoint", endpoint)
                        .description("1 when the last probe completed a TLS handshake, else 0").register(registry));
        return state;
    }

    private static double count(Collection<Set<String>> open, String code) {
        return open.stream().filter(codes -> codes.contains(code)).count();
    }
}
