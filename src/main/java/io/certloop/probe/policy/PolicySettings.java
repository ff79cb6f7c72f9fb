package io.certloop.probe.policy;

import io.certloop.probe.ProbeProperties;
import java.time.Duration;
import java.util.List;

/**
 * The configurable thresholds of the finding policy.
 *
 * @param expiringSoon EXPIRING_SOON window by tier, index 0 = tier 0 (most critical)
 * @param weakSignatureDigests digest names (MD5, SHA1...) that make a signature algorithm weak
 */
public record PolicySettings(
        List<Duration> expiringSoon, int minRsaBits, int minEcBits, List<String> weakSignatureDigests) {

    public PolicySettings {
        if (expiringSoon.isEmpty()) {
            throw new IllegalArgumentException("certloop.probe.policy.expiring-soon needs at least one window");
        }
        expiringSoon = List.copyOf(expiringSoon);
        weakSignatureDigests =
                weakSignatureDigests.stream().map(String::toUpperCase).toList();
    }

    public static PolicySettings from(ProbeProperties.Policy policy) {
        return new PolicySettings(
                policy.expiringSoon(), policy.minRsaBits(), policy.minEcBits(), policy.weakSignatureDigests());
    }

    /** Defaults: 30/21/14/7 days for tiers 0-3, RSA 2048, EC 256, MD2/MD5/SHA-1 weak. */
    public static PolicySettings defaults() {
        return from(ProbeProperties.defaults().policy());
    }

    /** The window for a tier; no tier or an unknown one gets tier 0's (the most cautious). */
    Duration window(Integer tier) {
        if (tier == null || tier < 0 || tier >= expiringSoon.size()) {
            return expiringSoon.get(0);
        }
        return expiringSoon.get(tier);
    }
}
