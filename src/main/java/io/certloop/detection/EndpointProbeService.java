package io.certloop.detection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import io.certloop.inventory.Endpoint;
import io.certloop.probe.Finding;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.ProbeRequest;
import io.certloop.probe.TlsProber;

/**
 * Probes one inventory endpoint with its expectations (names, fingerprint, tier, extra backend
 * addresses), keeps the result as evidence, and announces findings that appeared or cleared since
 * the last probe. Glue between the probe capability and the inventory.
 */
@Service
public class EndpointProbeService {

    private static final Logger log = LoggerFactory.getLogger(EndpointProbeService.class);

    private final TlsProber prober;
    private final ProbeHistoryRepository history;
    private final ApplicationEventPublisher events;
    private final ProbeMetrics metrics;
    private final Clock clock;
    private volatile boolean metricsLoaded;

    EndpointProbeService(TlsProber prober, ProbeHistoryRepository history, ApplicationEventPublisher events,
            ProbeMetrics metrics, Clock clock) {
        this.prober = prober;
        this.history = history;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Probes, records and announces.
     *
     * @throws io.certloop.probe.guard.ProbeRefusedException when even an inventory endpoint is refused (metadata addresses)
     */
    public ProbeReport probe(Endpoint endpoint) {
        loadOpenFindings();
        ProbeReport report;
        long started = System.nanoTime();
        try {
            report = prober.probe(new ProbeRequest(endpoint.host(), endpoint.port(), endpoint.serverName(),
                    endpoint.expectedNames(), endpoint.addresses(), endpoint.expectedSha256(), endpoint.tier()));
        } catch (RuntimeException e) {
            metrics.recordFailure(endpoint.name(), Duration.ofNanos(System.nanoTime() - started));
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        history.record(endpoint.id(), endpoint.name(), report);
        metrics.recordProbe(endpoint.name(), report, took);
        reconcile(endpoint, report);
        log.debug("probed endpoint {} ({}:{}): findings {}", endpoint.name(), endpoint.host(), endpoint.port(),
                report.findings().stream().map(Finding::code).toList());
        return report;
    }

    /** Standing finding codes of an endpoint. */
    public List<String> openFindings(long endpointId) {
        return history.openFindings(endpointId);
    }

    List<ProbeHistoryRepository.Entry> history(long endpointId, int limit) {
        return history.history(endpointId, limit);
    }

    /** Forget metric series of endpoints that left the inventory. */
    void retain(List<Endpoint> current) {
        metrics.retain(current.stream().map(Endpoint::name).collect(Collectors.toSet()),
                current.stream().map(Endpoint::id).collect(Collectors.toSet()));
    }

    private void reconcile(Endpoint endpoint, ProbeReport report) {
        Instant now = clock.instant();
        Map<String, Finding> current = report.findings().stream()
                .collect(Collectors.toMap(Finding::code, Function.identity(), (a, b) -> a));
        Set<String> open = new LinkedHashSet<>(history.openFindings(endpoint.id()));
        String leaf = report.leaf() == null ? null : report.leaf().sha256();
        for (Finding finding : current.values()) {
            if (!open.contains(finding.code()) && history.open(endpoint.id(), finding, now)) {
                log.info("finding {} raised on endpoint {}: {}", finding.code(), endpoint.name(), finding.detail());
                events.publishEvent(new EndpointFindingRaised(endpoint.id(), endpoint.name(), endpoint.tier(), finding, leaf, now));
            }
        }
        for (String code : open) {
            if (!current.containsKey(code) && history.close(endpoint.id(), code)) {
                log.info("finding {} cleared on endpoint {}", code, endpoint.name());
                events.publishEvent(new EndpointFindingCleared(endpoint.id(), endpoint.name(), code, now));
            }
        }
        metrics.openFindings(endpoint.id(), current.keySet());
    }

    private void loadOpenFindings() {
        if (!metricsLoaded) {
            synchronized (this) {
                if (!metricsLoaded) {
                    history.openFindings().forEach(metrics::openFindings);
                    metricsLoaded = true;
                }
            }
        }
    }
}
