package io.certloop.detection;

import io.certloop.inventory.Endpoint;
import io.certloop.probe.Finding;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.ProbeRequest;
import io.certloop.probe.TlsProber;
import io.certloop.system.Page;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

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
    private final FindingSuppressions suppressions;
    private final RenewalCheck renewals;
    private final TransactionOperations transactions;
    private final Clock clock;
    private volatile boolean metricsLoaded;

    EndpointProbeService(
            TlsProber prober,
            ProbeHistoryRepository history,
            ApplicationEventPublisher events,
            ProbeMetrics metrics,
            FindingSuppressions suppressions,
            RenewalCheck renewals,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.prober = prober;
        this.history = history;
        this.events = events;
        this.metrics = metrics;
        this.suppressions = suppressions;
        this.renewals = renewals;
        this.transactions = new TransactionTemplate(transactions);
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
            report = prober.probe(new ProbeRequest(
                    endpoint.host(),
                    endpoint.port(),
                    endpoint.serverName(),
                    endpoint.expectedNames(),
                    endpoint.addresses(),
                    endpoint.expectedSha256(),
                    endpoint.tier()));
        } catch (RuntimeException e) {
            metrics.recordFailure(endpoint.name(), Duration.ofNanos(System.nanoTime() - started));
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        report = withRenewalFindings(report, renewals.findings(endpoint, report));
        report = markSuppressed(report, suppressions.suppressedFindings(endpoint.name()));
        history.record(endpoint.id(), endpoint.name(), report);
        metrics.recordProbe(endpoint.name(), report, took);
        reconcile(endpoint, report);
        log.debug(
                "probed endpoint {} ({}:{}): findings {}",
                endpoint.name(),
                endpoint.host(),
                endpoint.port(),
                report.findings().stream().map(Finding::code).toList());
        return report;
    }

    /** Standing finding codes of an endpoint. */
    public List<String> openFindings(long endpointId) {
        return history.openFindings(endpointId);
    }

    /** What the endpoint presented at its latest recorded probe with a handshake; empty when none was recorded. */
    public java.util.Optional<LastProbe> lastProbe(long endpointId) {
        return history.history(endpointId, 0, 1).stream()
                .filter(ProbeHistoryRepository.Entry::reachable)
                .findFirst()
                .map(entry -> {
                    var chain = entry.report().path("chain");
                    var leaf = chain.path(0);
                    var issuer = chain.path(1);
                    return new LastProbe(
                            entry.leafSha256(),
                            leaf.path("issuer").isTextual()
                                    ? leaf.path("issuer").asText()
                                    : null,
                            issuer.path("sha256").isTextual()
                                    ? issuer.path("sha256").asText()
                                    : null);
                });
    }

    /**
     * Every inventory endpoint whose latest recorded probe presents the certificate {@code sha256} or the same public
     * key ({@code spkiSha256}, under any certificate), with why.
     */
    public List<Presenting> latestPresenting(String sha256, String spkiSha256) {
        return history.latestPresenting(sha256, spkiSha256);
    }

    List<ProbeHistoryRepository.Entry> history(long endpointId, Page page) {
        return history.history(endpointId, page.offset(), page.fetch());
    }

    /** Forget metric series of endpoints that left the inventory. */
    void retain(List<Endpoint> current) {
        metrics.retain(
                current.stream().map(Endpoint::name).collect(Collectors.toSet()),
                current.stream().map(Endpoint::id).collect(Collectors.toSet()));
    }

    /** The CA's word on the presented certificate (its renewal window) joins the probe's own findings. */
    private static ProbeReport withRenewalFindings(ProbeReport report, List<Finding> renewal) {
        if (renewal.isEmpty()) {
            return report;
        }
        List<Finding> all = new java.util.ArrayList<>(report.findings());
        all.addAll(renewal);
        return report.withFindings(all);
    }

    /** Findings an active exception excuses stay in the report, marked with the exception's id. */
    private static ProbeReport markSuppressed(ProbeReport report, Map<String, String> suppressed) {
        if (suppressed.isEmpty() || report.findings().stream().noneMatch(f -> suppressed.containsKey(f.code()))) {
            return report;
        }
        return report.withFindings(report.findings().stream()
                .map(f -> suppressed.containsKey(f.code()) ? f.suppressedBy(suppressed.get(f.code())) : f)
                .toList());
    }

    private void reconcile(Endpoint endpoint, ProbeReport report) {
        Instant now = clock.instant();
        Set<String> open = new LinkedHashSet<>(history.openFindings(endpoint.id()));
        // an excused finding is not standing: it opens no incident, and the first cycle after its exception ends
        // raises it again
        for (Finding finding : report.findings()) {
            if (finding.suppressedBy() != null
                    && open.remove(finding.code())
                    && history.close(endpoint.id(), finding.code())) {
                log.info(
                        "finding {} on endpoint {} is excused by exception {}: no longer standing",
                        finding.code(),
                        endpoint.name(),
                        finding.suppressedBy());
            }
        }
        Map<String, Finding> current = report.findings().stream()
                .filter(finding -> finding.suppressedBy() == null)
                .collect(Collectors.toMap(Finding::code, Function.identity(), (a, b) -> a));
        String leaf = report.leaf() == null ? null : report.leaf().sha256();
        for (Finding finding : current.values()) {
            if (!open.contains(finding.code())) {
                announce(endpoint, finding, leaf, now);
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

    /**
     * A finding is recorded as standing (announced) only in the transaction that opened or updated its incident:
     * the listeners of {@link EndpointFindingRaised} (intake, and the runbook it starts) join it. When they fail,
     * neither is kept, and the next cycle, finding it not standing, announces it again. Another node that recorded
     * it first wins: nothing is announced twice.
     */
    private void announce(Endpoint endpoint, Finding finding, String leaf, Instant now) {
        try {
            transactions.executeWithoutResult(status -> {
                if (!history.open(endpoint.id(), finding, now)) {
                    status.setRollbackOnly();
                    return;
                }
                log.info("finding {} raised on endpoint {}: {}", finding.code(), endpoint.name(), finding.detail());
                events.publishEvent(
                        new EndpointFindingRaised(endpoint.id(), endpoint.name(), endpoint.tier(), finding, leaf, now));
            });
        } catch (RuntimeException e) {
            log.error(
                    "finding {} on endpoint {} could not open or update its incident; not recorded as announced,"
                            + " the next detection cycle tries again",
                    finding.code(),
                    endpoint.name(),
                    e);
        }
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
