package io.certloop.probe;

import io.certloop.probe.tls.ReusedX25519KeyShare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code certloop.probe}. Defaults are safe: nothing but inventory endpoints is an
 * allowed target, link-local and metadata addresses are refused, and a hung peer costs at most the
 * two timeouts.
 */
@ConfigurationProperties("certloop.probe")
public class ProbeProperties {

    /** Host patterns ({@code *.example.com}, exact names) and CIDRs ({@code 10.0.0.0/8}) that may be probed. */
    private List<String> allowlist = new ArrayList<>();
    /** Extra CIDRs that are never probed, on top of link-local and metadata. */
    private List<String> denylist = new ArrayList<>();
    /** Refuse link-local and cloud metadata addresses (keep true outside tests of the guard itself). */
    private boolean refuseLinkLocal = true;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration handshakeTimeout = Duration.ofSeconds(5);
    /** Timeout for one CRL or OCSP fetch. */
    private Duration revocationTimeout = Duration.ofSeconds(5);
    /** Skip revocation checks entirely (e.g. benchmarks, air-gapped estates). */
    private boolean revocationEnabled = true;
    /**
     * Handshake with BouncyCastle's TLS client and crypto (about twice as cheap per handshake as JSSE on
     * JDK 17's SunEC); {@code false} uses the JDK's JSSE and providers. Only probe sockets are affected,
     * no JCA provider is registered (docs/adr/0001-probe-crypto-providers.md).
     */
    private boolean bouncyCastleTls = true;
    /**
     * How many sent chains (their verdicts) and server keys (decoded, with their precomputation) the prober
     * remembers. Size it at or above the number of endpoints the detection loop watches: the loop probes
     * them in a cycle, and a least-recently-used cache smaller than the cycle never hits.
     */
    private int cacheSize = 4096;
    /**
     * How many probe handshakes one X25519 client key share serves (at most a minute), on the BouncyCastle stack.
     * A probe carries no data, so nothing depends on the freshness of its key share; 1 = a fresh one each time
     * (see ReusedX25519KeyShare).
     */
    private int keyShareUses = 64;
    private final Trust trust = new Trust();
    private final Policy policy = new Policy();
    private final Detection detection = new Detection();

    public List<String> getAllowlist() {
        return allowlist;
    }

    public void setAllowlist(List<String> allowlist) {
        this.allowlist = allowlist;
    }

    public List<String> getDenylist() {
        return denylist;
    }

    public void setDenylist(List<String> denylist) {
        this.denylist = denylist;
    }

    public boolean isRefuseLinkLocal() {
        return refuseLinkLocal;
    }

    public void setRefuseLinkLocal(boolean refuseLinkLocal) {
        this.refuseLinkLocal = refuseLinkLocal;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public Duration getRevocationTimeout() {
        return revocationTimeout;
    }

    public void setRevocationTimeout(Duration revocationTimeout) {
        this.revocationTimeout = revocationTimeout;
    }

    public boolean isRevocationEnabled() {
        return revocationEnabled;
    }

    public void setRevocationEnabled(boolean revocationEnabled) {
        this.revocationEnabled = revocationEnabled;
    }

    public boolean isBouncyCastleTls() {
        return bouncyCastleTls;
    }

    public void setBouncyCastleTls(boolean bouncyCastleTls) {
        this.bouncyCastleTls = bouncyCastleTls;
    }

    public int getCacheSize() {
        return cacheSize;
    }

    public void setCacheSize(int cacheSize) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("certloop.probe.cache-size must be at least 1, was " + cacheSize);
        }
        this.cacheSize = cacheSize;
    }

    public int getKeyShareUses() {
        return keyShareUses;
    }

    public void setKeyShareUses(int keyShareUses) {
        if (keyShareUses < 1) {
            throw new IllegalArgumentException("certloop.probe.key-share-uses must be at least 1, was " + keyShareUses);
        }
        this.keyShareUses = keyShareUses;
    }

    public Trust getTrust() {
        return trust;
    }

    public Policy getPolicy() {
        return policy;
    }

    public Detection getDetection() {
        return detection;
    }

    /** Trust store additions. */
    public static class Trust {
        /** PEM files with extra roots (internal CAs), comma-separated in properties. */
        private List<String> extraRoots = new ArrayList<>();

        public List<String> getExtraRoots() {
            return extraRoots;
        }

        public void setExtraRoots(List<String> extraRoots) {
            this.extraRoots = extraRoots;
        }
    }

    /** What counts as a problem. */
    public static class Policy {
        /** EXPIRING_SOON windows for tiers 0 (most critical) to 3. Ad-hoc probes without a tier use tier 0's. */
        private List<Duration> expiringSoon = new ArrayList<>(List.of(
                Duration.ofDays(30), Duration.ofDays(21), Duration.ofDays(14), Duration.ofDays(7)));
        private int minRsaBits = 2048;
        private int minEcBits = 256;
        /** Digest names that make a signature weak, matched inside the signature algorithm name. */
        private List<String> weakSignatureDigests = new ArrayList<>(List.of("MD2", "MD5", "SHA1"));

        public List<Duration> getExpiringSoon() {
            return expiringSoon;
        }

        public void setExpiringSoon(List<Duration> expiringSoon) {
            this.expiringSoon = expiringSoon;
        }

        public int getMinRsaBits() {
            return minRsaBits;
        }

        public void setMinRsaBits(int minRsaBits) {
            this.minRsaBits = minRsaBits;
        }

        public int getMinEcBits() {
            return minEcBits;
        }

        public void setMinEcBits(int minEcBits) {
            this.minEcBits = minEcBits;
        }

        public List<String> getWeakSignatureDigests() {
            return weakSignatureDigests;
        }

        public void setWeakSignatureDigests(List<String> weakSignatureDigests) {
            this.weakSignatureDigests = weakSignatureDigests;
        }
    }

    /** The detection loop over the inventory. */
    public static class Detection {
        private boolean enabled = true;
        /** Read by {@code @Scheduled} as an ISO-8601 duration. */
        private Duration initialDelay = Duration.ofMinutes(1);
        /** Read by {@code @Scheduled} as an ISO-8601 duration (e.g. PT5M). */
        private Duration interval = Duration.ofMinutes(5);
        private int concurrency = 8;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }
    }
}
