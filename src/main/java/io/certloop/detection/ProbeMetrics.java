package io.certloop.detection;

import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Prometheus view of the estate, named as Prometheus users expect (absolute timestamps in seconds,
 * base units in the name). Per inventory endpoint, labelled {@code certloop_endpoint} ({@code endpoint}
 * would collide with the Prometheus Operator's target label): when the presented leaf expires, whether
 * the last probe completed a handshake, and when it ran. Per finding code: how many endpoints have it
 * standing. And how long probes take, as a histogram.
 */
@Component
class ProbeMetrics {

    /** The label naming the inventory endpoint on every per-endpoint series. */
    static final String ENDPOINT_LABEL = "certloop_endpoint";

    static final String NOT_AFTER = "certloop.endpoint.certificate.not.after.timestamp";
    static final String PROBE_SUCCESS = "certloop.endpoint.probe.success";
    static final String LAST_PROBE = "certloop.endpoint.last.probe.timestamp";
    static final String OPEN_FINDINGS = "certloop.findings.open";
    static final String PROBE_DURATION = "certloop.probe.duration";

    /** {@code outcome} label of the probe duration: a handshake completed, none did, or the probe threw. */
    static final String REACHABLE = "reachable";

    static final String UNREACHABLE = "unreachable";
    static final String ERROR = "error";

    /** Probe durations from a fast loopback handshake to the connect, handshake and revocation timeouts. */
    private static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(20)
    };

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, EndpointState> endpoints = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> openByEndpoint = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    /** Last observation of one endpoint; strongly held here (gauges keep only weak references). */
    private static final class EndpointState {
        volatile double notAfterEpochSeconds = Double.NaN;
        volatile double success;
        volatile double probedAtEpochSeconds = Double.NaN;
        List<Meter> meters = List.of();
    }

    ProbeMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (String code : FindingCodes.ALL) {
            Gauge.builder(OPEN_FINDINGS, openByEndpoint, open -> count(open.values(), code))
                    .tag("code", code)
                    .description("Inventory endpoints with this finding standing")
                    .register(registry);
        }
        for (String outcome : List.of(REACHABLE, UNREACHABLE, ERROR)) {
            duration(outcome);
        }
    }

    void recordProbe(String endpoint, ProbeReport report, Duration took) {
        EndpointState state = endpoints.computeIfAbsent(endpoint, this::register);
        state.success = report.reachable() ? 1 : 0;
        state.notAfterEpochSeconds =
                report.leaf() == null ? Double.NaN : report.leaf().notAfter().getEpochSecond();
        state.probedAtEpochSeconds = clock.millis() / 1000.0;
        duration(report.reachable() ? REACHABLE : UNREACHABLE).record(took);
    }

    void recordFailure(String endpoint, Duration took) {
        EndpointState state = endpoints.computeIfAbsent(endpoint, this::register);
        state.success = 0;
        state.notAfterEpochSeconds = Double.NaN;
        state.probedAtEpochSeconds = clock.millis() / 1000.0;
        duration(ERROR).record(took);
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

    private Timer duration(String outcome) {
        return durations.computeIfAbsent(
                outcome,
                o -> Timer.builder(PROBE_DURATION)
                        .tag("outcome", o)
                        .description(
                                "Time an inventory endpoint probe took: connect, handshake, chain and revocation checks")
                        .serviceLevelObjectives(DURATION_BUCKETS)
                        .register(registry));
    }

    private EndpointState register(String endpoint) {
        EndpointState state = new EndpointState();
        state.meters = List.of(
                Gauge.builder(NOT_AFTER, state, s -> s.notAfterEpochSeconds)
                        .tag(ENDPOINT_LABEL, endpoint)
                        .baseUnit("seconds")
                        .description(
                                "When the leaf certificate presented at the last probe expires (Unix time; NaN when none was presented)")
                        .register(registry),
                Gauge.builder(PROBE_SUCCESS, state, s -> s.success)
                        .tag(ENDPOINT_LABEL, endpoint)
                        .description("1 when the last probe completed a TLS handshake, else 0")
                        .register(registry),
                Gauge.builder(LAST_PROBE, state, s -> s.probedAtEpochSeconds)
                        .tag(ENDPOINT_LABEL, endpoint)
                        .baseUnit("seconds")
                        .description("When the endpoint was last probed (Unix time)")
                        .register(registry));
        return state;
    }

    private static double count(Collection<Set<String>> open, String code) {
        return open.stream().filter(codes -> codes.contains(code)).count();
    }
}
