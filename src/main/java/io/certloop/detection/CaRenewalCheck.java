package io.certloop.detection;

import io.certloop.inventory.Endpoint;
import io.certloop.issuance.RenewalWindow;
import io.certloop.issuance.RenewalWindows;
import io.certloop.probe.Finding;
import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeProperties;
import io.certloop.probe.ProbeReport;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code RENEWAL_SUGGESTED} when the presented leaf is one CertLoop issued through a CA that publishes renewal
 * windows and the point chosen inside its window has passed. The CA is asked only when its last answer allows
 * ({@link RenewalWindows#check}); the finding stands until the endpoint presents another certificate.
 */
@Component
class CaRenewalCheck implements RenewalCheck {

    private static final Logger log = LoggerFactory.getLogger(CaRenewalCheck.class);

    private final RenewalWindows windows;
    private final ProbeProperties probe;
    private final Clock clock;

    CaRenewalCheck(RenewalWindows windows, ProbeProperties probe, Clock clock) {
        this.windows = windows;
        this.probe = probe;
        this.clock = clock;
    }

    @Override
    public List<Finding> findings(Endpoint endpoint, ProbeReport report) {
        if (!report.reachable() || report.leaf() == null) {
            return List.of();
        }
        Optional<RenewalWindow> window;
        try {
            window = windows.check(report.leaf().sha256(), probe.detection().interval());
        } catch (RuntimeException e) {
            log.error("renewal window of endpoint {} not checked; the next cycle tries again", endpoint.name(), e);
            return List.of();
        }
        Instant now = clock.instant();
        return window.filter(w -> w.due(now)).map(w -> List.of(finding(w, now))).orElse(List.of());
    }

    /** The finding with the window as its evidence (it reaches the incident and the probe history). */
    static Finding finding(RenewalWindow window, Instant now) {
        boolean overdue = window.overdue(now);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("certificateId", window.certificateId());
        evidence.put("windowStart", window.start().toString());
        evidence.put("windowEnd", window.end().toString());
        evidence.put("renewAt", window.renewAt().toString());
        if (window.explanationUrl() != null) {
            evidence.put("explanationUrl", window.explanationUrl());
        }
        evidence.put("fetchedAt", String.valueOf(window.fetchedAt()));
        evidence.put("overdue", overdue);
        String detail = overdue
                ? "the CA's suggested renewal window closed at " + window.end() + ": urgent, replace now"
                : "the CA suggests renewing between " + window.start() + " and " + window.end() + "; the chosen point "
                        + window.renewAt() + " has passed";
        return new Finding(FindingCodes.RENEWAL_SUGGESTED, detail, evidence);
    }
}
