package io.certloop.probe;

import io.certloop.probe.guard.InventoryTargets;
import io.certloop.probe.guard.ProbeTargetGuard;
import io.certloop.probe.policy.FindingPolicy;
import io.certloop.probe.policy.PolicySettings;
import io.certloop.probe.tls.JsseTlsProber;
import io.certloop.probe.tls.TrustAnchors;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the probe capability. The inventory hook and the clock are optional beans so the
 * capability stands alone: without an {@link InventoryTargets} bean only the allowlist decides.
 */
@Configuration(proxyBeanMethods = false)
class ProbeConfiguration {

    @Bean
    ProbeTargetGuard probeTargetGuard(ProbeProperties properties, ObjectProvider<InventoryTargets> inventory) {
        return new ProbeTargetGuard(properties, inventory.getIfAvailable(InventoryTargets::none));
    }

    @Bean
    FindingPolicy findingPolicy(ProbeProperties properties) {
        return new FindingPolicy(PolicySettings.from(properties.policy()));
    }

    @Bean
    JsseTlsProber tlsProber(
            ProbeProperties properties,
            ProbeTargetGuard guard,
            FindingPolicy policy,
            ObjectProvider<Clock> clock,
            ObjectProvider<ExtraTrustRoots> extraRoots) {
        java.util.List<java.security.cert.X509Certificate> extra = extraRoots
                .orderedStream()
                .flatMap(source -> source.roots().stream())
                .toList();
        return new JsseTlsProber(
                properties,
                guard,
                TrustAnchors.load(properties.trust().extraRoots(), extra),
                policy,
                clock.getIfAvailable(Clock::systemUTC));
    }
}
