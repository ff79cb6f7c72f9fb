package io.certloop.probe;

import io.certloop.probe.guard.InventoryTargets;
import io.certloop.probe.guard.ProbeTargetGuard;
import io.certloop.probe.policy.FindingPolicy;
import io.certloop.probe.policy.PolicySettings;
import io.certloop.probe.tls.JsseTlsProber;
import io.certloop.probe.tls.TrustAnchors;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** Builds a prober for tests: loopback allowlisted, short timeouts, only the given roots trusted. */
public final class ProberFixture {

    private ProberFixture() {}

    public static JsseTlsProber prober(Clock clock, List<X509Certificate> roots) {
        return prober(clock, roots, properties -> properties);
    }

    public static JsseTlsProber prober(
            Clock clock, List<X509Certificate> roots, UnaryOperator<ProbeProperties> customizer) {
        ProbeProperties properties = customizer.apply(ProbeProperties.defaults()
                .withAllowlist(List.of("127.0.0.0/8"))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)));
        return new JsseTlsProber(
                properties,
                new ProbeTargetGuard(properties, InventoryTargets.none()),
                TrustAnchors.of(roots),
                new FindingPolicy(PolicySettings.from(properties.policy())),
                clock);
    }
}
